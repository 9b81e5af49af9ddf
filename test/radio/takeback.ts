/**
 * Taking the 4-way handshake back on the kernel radio, against the real
 * hostapd 2.10 (issue 11): the guest steps and their checks, shared by
 * nl80211-connect.test.ts (PSK, FT-PSK) and nl80211-sae.test.ts (SAE), which run them
 * in their boots. `[driver] assume_4way_offload` has the nl80211 backend treat
 * the hwsim radio as running the handshake and stay silent, as a firmware
 * that never signals completion; the key owner's take-back then meets the
 * real AP. What the AP does is read from hostapd's own debug log: the steps
 * print its relevant lines in order (`ap-sequence`).
 *
 * hostapd 2.10, measured here: an EAPOL-Start from a PSK or SAE station is
 * ignored ("IEEE 802.1X: Ignore EAPOL message - 802.1X not enabled and WPS
 * not used": ieee802_1x_receive() drops non-Key EAPOL frames on a BSS without
 * ieee8021x=1), so it restarts nothing and drops no PMKSA; a PSK take-back
 * completes on hostapd's own msg 1/4 retry (4 tries, 1 s apart after the
 * first), which the offload wait (1 s) leaves room for.
 */
import { expect } from 'vitest';
import { AP, STA } from './nl80211-shell.js';
import { section } from './shell.js';

/** Each check names what it proves; `o` is the step's output, `status` its exit status. */
export type Checks = Record<string, (o: string, status: number | undefined) => void>;

const PING_OK = /3 packets transmitted, 3 packets received/;
const SENT_1 = 'sending 1/4 msg of 4-Way Handshake';
const GOT_2 = 'received EAPOL-Key frame (2/4 Pairwise)';
const COMPLETED = 'pairwise key handshake completed (RSN)';
const isStart = (l: string): boolean => /^IEEE 802\.1X: version=\d+ type=1 length=0$/.test(l);
const IGNORED = 'IEEE 802.1X: Ignore EAPOL message - 802.1X not enabled and WPS not used';

/** hostapd's debug log, the lines that tell the story, in order and without time stamps or prefixes. */
const AP_SEQUENCE = String.raw`
section ap-sequence
sed -n -e 's/.*authentication: STA=[0-9a-f:]* \(auth_alg=[0-9]* auth_transaction=1\) .*seq_ctrl=0x[0-9a-f]*$/\1/p' \
    -e 's/.*\(SAE: [0-9a-f:]* using PMKSA caching\)$/\1/p' \
    -e 's/.*WPA: \(sending 1\/4 msg of 4-Way Handshake\)$/\1/p' \
    -e 's/.*WPA: \(EAPOL-Key timeout\)$/\1/p' \
    -e 's/.*WPA: \(received EAPOL-Key frame (2\/4 Pairwise)\)$/\1/p' \
    -e 's/.*\(IEEE 802.1X: version=[0-9]* type=1 length=0\)$/\1/p' \
    -e 's/.*\(IEEE 802.1X: Ignore EAPOL message.*\)$/\1/p' \
    -e 's/.*\(cached PMKSA available.*\)$/\1/p' \
    -e 's/.*WPA: \(pairwise key handshake completed (RSN)\)$/\1/p' \
    -e 's/.*\(AP-STA-[A-Z]*CONNECTED .*\)$/\1/p' \
    -e 's/.*\(FT: MDE\) - .*/\1/p' -e 's/.*\(FT: PMKR1Name from Supplicant\) - .*/\1/p' /tmp/radio/hostapd.log
section ap-eap; grep -c -w -i 'eap' /tmp/radio/hostapd.log || true
`;

/** Our daemon's view, from its log $1 and its control interface. */
const OUR_VIEW = String.raw`
section ping; ping_ap
section status; ours status
section offload-status; ours raw OFFLOAD_STATUS
section warning; grep -o 'assume_4way_offload: phy.*' "$LOG"
section dropped; grep -c 'assume_4way_offload: EAPOL frame [0-9]* from .* dropped' "$LOG" || true
section key-owner; grep -o 'OFFLOAD-KEY-OWNER.*' "$LOG"
`;

/** WPA2-PSK, the radio taken to run the PSK handshake (nl80211-shell.ts's prelude first). */
export const TAKEBACK_PSK = String.raw`
SSID=radio-nl80211-takeback
LOG=/tmp/radio/ours.log
start_ap 'wpa=2
wpa_key_mgmt=WPA-PSK
rsn_pairwise=CCMP
wpa_passphrase=radio-nl80211-passphrase'
printf '[driver]\nassume_4way_offload = psk\n' > /tmp/radio/takeback.ini
start_ours '	key_mgmt=WPA-PSK
	psk="radio-nl80211-passphrase"' '' '-D nl80211 --settings /tmp/radio/takeback.ini'
wait_for $LOG CTRL-EVENT-CONNECTED 120
${OUR_VIEW}
${AP_SEQUENCE}
section end
`;

export const PSK_CHECKS: Checks = {
  'the setting is announced with a WARNING; the radio reports four_way_psk, which hwsim does not advertise': (o) => {
    expect(section(o, 'warning')[0], o).toMatch(/^assume_4way_offload: phy#\d+ is treated as running the 4-way handshake \(psk\) it does not advertise/);
    expect(section(o, 'offload-status'), o).toContain('capabilities=four_way_psk');
  },
  'hostapd received exactly one EAPOL-Start, and ignored it (hostapd 2.10 restarts nothing for a PSK station)': (o) => {
    const seq = section(o, 'ap-sequence');
    expect(seq.filter(isStart), o).toHaveLength(1);
    expect(seq[seq.findIndex(isStart) + 1], o).toBe(IGNORED);
  },
  "the host answered no msg 1/4 before it took the handshake back, then hostapd's next msg 1/4 retry: one msg 2/4, completed, never disconnected": (o) => {
    const seq = section(o, 'ap-sequence');
    const start = seq.findIndex(isStart);
    const answered = seq.indexOf(GOT_2);
    expect(start, o).toBeGreaterThan(0);
    expect(seq.slice(0, start), o).toContain(SENT_1);
    expect(seq.slice(0, start), o).not.toContain(GOT_2);
    // In between: the EAPOL-Start ignored, then hostapd's own retry after its EAPOL-Key timeout; or
    // nothing, when hostapd's retry crossed the EAPOL-Start in the air (logged just before it: seen on
    // a loaded CI run) and the host, no longer dropping frames, answered that one.
    const between = seq.slice(start + 2, answered);
    if (between.length === 0) expect(seq[start - 1], o).toBe(SENT_1);
    else expect(between, o).toEqual(['EAPOL-Key timeout', SENT_1]);
    expect(seq.filter((l) => l === GOT_2), o).toHaveLength(1);
    expect(seq.slice(answered + 1), o).toEqual(expect.arrayContaining([COMPLETED, `AP-STA-CONNECTED ${STA}`]));
    expect(seq.filter((l) => l.startsWith('AP-STA-DISCONNECTED')), o).toEqual([]);
    expect(Number(section(o, 'dropped')[0]), o).toBeGreaterThanOrEqual(1);
  },
  "the key owner: one OFFLOAD-KEY-OWNER, the host after the firmware's silence with one EAPOL-Start; STATUS COMPLETED, OFFLOAD_STATUS in sync; a ping": (o, status) => {
    expect(section(o, 'key-owner'), o).toEqual([
      `OFFLOAD-KEY-OWNER bssid=${AP} owner=host completion=host-after-firmware-silence reason=no completion from the firmware within 1000 ms; sent EAPOL-Start`,
    ]);
    expect(section(o, 'status'), o).toEqual(expect.arrayContaining(['key_mgmt=WPA2-PSK', 'wpa_state=COMPLETED']));
    expect(section(o, 'offload-status'), o).toEqual(expect.arrayContaining([`bssid=${AP}`, 'key_owner=host', 'completion=host-after-firmware-silence', 'in_sync=1']));
    expect(section(o, 'ping').join('\n'), o).toMatch(PING_OK);
    expect(status, o).toBe(0);
  },
};

/** FT-PSK, an initial mobility domain association (hostapd derives PMK-R0/R1 locally), the radio taken to run the PSK handshake. */
export const TAKEBACK_FT = String.raw`
SSID=radio-nl80211-takeback-ft
LOG=/tmp/radio/ours.log
start_ap 'wpa=2
wpa_key_mgmt=FT-PSK
rsn_pairwise=CCMP
wpa_passphrase=radio-nl80211-passphrase
mobility_domain=a1b2
nas_identifier=ap1.example.com
r1_key_holder=020000000000
ft_over_ds=0
ft_psk_generate_local=1'
printf '[driver]\nassume_4way_offload = psk\n' > /tmp/radio/takeback.ini
start_ours '	key_mgmt=FT-PSK
	psk="radio-nl80211-passphrase"' '' '-D nl80211 --settings /tmp/radio/takeback.ini'
wait_for $LOG CTRL-EVENT-CONNECTED 120
${OUR_VIEW}
${AP_SEQUENCE}
section end
`;

const OPEN_AUTH = 'auth_alg=0 auth_transaction=1';
const REASSOCIATING = `OFFLOAD-KEY-OWNER bssid=${AP} owner=host completion=host-after-firmware-silence reason=no completion from the firmware within 1000 ms; reassociating with the handshake on the host`;
const HOST_FROM_NOW = `OFFLOAD-KEY-OWNER bssid=${AP} owner=host completion=host-only reason=firmware failed an offloaded 4-way handshake for this network`;

export const FT_CHECKS: Checks = {
  'the radio reports four_way_psk, so FT-PSK is handed to the "firmware" (the PSK family)': (o) => {
    expect(section(o, 'warning')[0], o).toMatch(/\(psk\) it does not advertise/);
    expect(section(o, 'offload-status'), o).toContain('capabilities=four_way_psk');
  },
  'hostapd: two initial mobility domain associations (Open System, MDE); msg 1/4 of the first unanswered; no EAPOL-Start; the second completes the FT 4-way handshake with the host': (o) => {
    const seq = section(o, 'ap-sequence');
    const opens = seq.flatMap((l, i) => (l === OPEN_AUTH ? [i] : []));
    expect(opens, o).toHaveLength(2);
    expect(seq.filter(isStart), o).toEqual([]);
    const silent = seq.slice(opens[0], opens[1]);
    expect(silent, o).toEqual(expect.arrayContaining(['FT: MDE', SENT_1]));
    expect(silent, o).not.toContain(GOT_2);
    const back = seq.slice(opens[1]);
    expect(back, o).toEqual(expect.arrayContaining(['FT: MDE', SENT_1, GOT_2, 'FT: PMKR1Name from Supplicant', COMPLETED, `AP-STA-CONNECTED ${STA}`]));
    expect(back.filter((l) => l === GOT_2), o).toHaveLength(1);
  },
  "the key owner: the host after the firmware's silence, by reassociation, then the host; STATUS FT-PSK COMPLETED, in sync, a ping": (o, status) => {
    expect(section(o, 'key-owner'), o).toEqual([REASSOCIATING, HOST_FROM_NOW]);
    expect(Number(section(o, 'dropped')[0]), o).toBeGreaterThanOrEqual(1);
    expect(section(o, 'status'), o).toEqual(expect.arrayContaining([`bssid=${AP}`, 'key_mgmt=FT-PSK', 'wpa_state=COMPLETED']));
    expect(section(o, 'offload-status'), o).toEqual(expect.arrayContaining(['key_owner=host', 'completion=host-only', 'in_sync=1']));
    expect(section(o, 'ping').join('\n'), o).toMatch(PING_OK);
    expect(status, o).toBe(0);
  },
};

/**
 * SAE with a cached PMKSA: a first daemon runs SAE and keeps the PMKSA in a
 * file; a second, with the setting, starts from it (the radio cannot run SAE
 * in place of a firmware, so the setting needs a cached PMKSA).
 */
export const TAKEBACK_SAE = String.raw`
SSID=radio-nl80211-takeback-sae
LOG=/tmp/radio/ours.log
start_ap 'wpa=2
wpa_key_mgmt=SAE
rsn_pairwise=CCMP
ieee80211w=2
sae_password=radio-sae-password'
printf '[offload]\npmksa_file = /tmp/radio/pmksa\n' > /tmp/radio/first.ini
printf '[driver]\nassume_4way_offload = sae\n[offload]\npmksa_file = /tmp/radio/pmksa\n' > /tmp/radio/takeback.ini
start_ours '	key_mgmt=SAE
	ieee80211w=2
	sae_password="radio-sae-password"' '' '-D nl80211 --settings /tmp/radio/first.ini'
wait_for $LOG CTRL-EVENT-CONNECTED 120
section first-pmksa; ours pmksa
stop_pidfile /tmp/radio/ours.pid
wait_for /tmp/radio/hostapd.log AP-STA-DISCONNECTED 60
LOG=/tmp/radio/takeback.log
ip netns exec sta node --max-semi-space-size=1 dist/bundle/wpa-offloadd.cjs -B -d -i wlan1 -D nl80211 --settings /tmp/radio/takeback.ini -c /tmp/radio/ours.conf -P /tmp/radio/ours.pid -f $LOG
wait_for $LOG CTRL-EVENT-CONNECTED 120
${OUR_VIEW}
${AP_SEQUENCE}
section end
`;

const SAE_COMMIT = 'auth_alg=3 auth_transaction=1';
const CACHING = `SAE: ${STA} using PMKSA caching`;

export const SAE_CHECKS: Checks = {
  'the first daemon ran SAE and cached one PMKSA; the second announces the setting and reports sae_offload': (o) => {
    expect(section(o, 'first-pmksa')[1], o).toMatch(new RegExp(`^1 ${AP} [0-9a-f]{32} \\d+ 0$`));
    expect(section(o, 'warning')[0], o).toMatch(/^assume_4way_offload: phy#\d+ is treated as running the 4-way handshake \(sae\) it does not advertise/);
    expect(section(o, 'offload-status'), o).toContain('capabilities=sae_offload');
  },
  "hostapd: one SAE (the first daemon), then two Open System associations both using the cached PMKSA; the host answered only the second one's msg 1/4": (o) => {
    const seq = section(o, 'ap-sequence');
    expect(seq.filter((l) => l === SAE_COMMIT), o).toHaveLength(1);
    const opens = seq.flatMap((l, i) => (l === OPEN_AUTH ? [i] : []));
    expect(opens, o).toHaveLength(2);
    expect(seq.filter((l) => l === CACHING), o).toHaveLength(2);
    // The association the "firmware" ran: hostapd's msg 1/4, no answer.
    const silent = seq.slice(opens[0], opens[1]);
    expect(silent, o).toEqual(expect.arrayContaining([CACHING, SENT_1]));
    expect(silent, o).not.toContain(GOT_2);
    // The take-back's reassociation: the same PMKSA, the handshake on the host.
    const back = seq.slice(opens[1]);
    expect(back, o).toEqual(expect.arrayContaining([CACHING, SENT_1, GOT_2, COMPLETED, `AP-STA-CONNECTED ${STA}`]));
    expect(back.filter((l) => l === GOT_2), o).toHaveLength(1);
  },
  'no EAPOL-Start reached hostapd, its PMKSA was never dropped, and it ran no EAP': (o) => {
    const seq = section(o, 'ap-sequence');
    expect(seq.filter((l) => isStart(l) || l.startsWith('IEEE 802.1X: Ignore EAPOL message') || l.startsWith('cached PMKSA available')), o).toEqual([]);
    expect(section(o, 'ap-eap'), o).toEqual(['0']);
  },
  "the key owner: the host after the firmware's silence, by reassociation, then the host runs that network's handshakes; COMPLETED, in sync, a ping": (o, status) => {
    expect(section(o, 'key-owner'), o).toEqual([REASSOCIATING, HOST_FROM_NOW]);
    expect(Number(section(o, 'dropped')[0]), o).toBeGreaterThanOrEqual(1);
    expect(section(o, 'status'), o).toEqual(expect.arrayContaining([`bssid=${AP}`, 'key_mgmt=SAE', 'wpa_state=COMPLETED']));
    expect(section(o, 'offload-status'), o).toEqual(expect.arrayContaining(['key_owner=host', 'completion=host-only', 'in_sync=1']));
    expect(section(o, 'ping').join('\n'), o).toMatch(PING_OK);
    expect(status, o).toBe(0);
  },
};
