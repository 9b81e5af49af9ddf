/**
 * SCAN_RESULTS / BSS reply text. Expected bytes are derived by hand from
 * hostap's wpa_supplicant/ctrl_iface.c (wpa_supplicant_ctrl_iface_scan_result,
 * wpa_supplicant_ie_txt, print_bss_info, wpa_supplicant_ctrl_iface_bss) and
 * common/wpa_common.c (wpa_write_ciphers, wpa_parse_wpa_ie_rsn); each test
 * names the rule it checks. The inputs are real Beacon element bytes.
 */
import { describe, expect, it } from 'vitest';
import type { ScanBss } from '../../src/driver/backend.js';
import { BssTable } from '../../src/station/bss-table.js';
import { ssidTxt } from '../../src/config/cstr.js';
import { bssFlags, formatBss, formatScanResults } from '../../src/ctrl/bss-format.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ie = (id: number, body: Buffer) => Buffer.concat([Buffer.from([id, body.length]), body]);
const ssidIe = (ssid: Buffer | string) => ie(0, Buffer.from(ssid));
// 1, 2, 5.5, 11 Mb/s (basic), 6, 9, 12, 18; Extended: 24, 36, 48, 54 Mb/s.
const RATES = hex('01 08 82 84 8b 96 0c 12 18 24');
const EXT_RATES = hex('32 04 30 48 60 6c');
const ds = (ch: number) => hex(`03 01 ${ch.toString(16).padStart(2, '0')}`);

// RSNEs: version 1, group CCMP, pairwise list, AKM list, RSN Capabilities.
const RSN_PSK_CCMP = hex('30 14 0100 000fac04 0100 000fac04 0100 000fac02 0c00');
const RSN_PSK_PSK256_MFPC = hex('30 18 0100 000fac04 0100 000fac04 0200 000fac02 000fac06 8000');
const RSN_SAE_MFPR = hex('30 14 0100 000fac04 0100 000fac04 0100 000fac08 c000');
const RSN_EAP_FT_PREAUTH = hex('30 18 0100 000fac04 0100 000fac04 0200 000fac01 000fac03 0100');
const RSN_PSK_CCMP_TKIP = hex('30 18 0100 000fac02 0200 000fac04 000fac02 0100 000fac02 0000');
// WPA1 vendor element: 00-50-F2-01, version 1, group TKIP, pairwise TKIP, AKM PSK.
const WPA1_PSK_TKIP = hex('dd 16 0050f201 0100 0050f202 0100 0050f202 0100 0050f202');
// WPS vendor element: Version 0x10, Wi-Fi Protected Setup State "configured".
const WPS_PLAIN = hex('dd 0e 0050f204 104a 0001 10 1044 0001 02');
// ... plus Selected Registrar = 1 and Device Password ID = PushButton (0x0004).
const WPS_PBC = hex('dd 19 0050f204 104a 0001 10 1044 0001 02 1041 0001 01 1012 0002 0004');
// RSNX with SAE hash-to-element (bit 5).
const RSNX_H2E = hex('f4 01 20');

const beacon = (ssid: string | Buffer, ch: number, ...extra: Buffer[]) =>
  Buffer.concat([ssidIe(ssid), RATES, ds(ch), ...extra, EXT_RATES]);

function scanBss(n: number, ies: Buffer, over: Partial<ScanBss> = {}): ScanBss {
  return {
    bssid: `02:00:00:00:${(n >> 8).toString(16).padStart(2, '0')}:${(n & 0xff).toString(16).padStart(2, '0')}`,
    ssid: Buffer.alloc(0), // the table takes the SSID from the SSID element
    freq: 2437,
    signal: -50,
    noise: -95,
    beaconInt: 100,
    caps: 0x0411, // ESS, Privacy, Short Slot Time
    ies,
    ageMs: 0,
    ...over,
  };
}

function makeTable(): { table: BssTable; clock: { t: number } } {
  const clock = { t: 1000 };
  const table = new BssTable({ added: () => {}, removed: () => {} }, () => clock.t);
  table.maxCount = 5000;
  return { table, clock };
}

describe('flags column (wpa_supplicant_ie_txt, wpa_write_ciphers, scan_result flag order)', () => {
  const flagsOf = (ies: Buffer, caps = 0x0411) => {
    const { table } = makeTable();
    table.update([scanBss(1, ies, { caps })]);
    return bssFlags(table.list()[0]);
  };

  it('writes [<proto>-<akm>+<akm>-<ciphers>[-preauth]] then the BSS type', () => {
    expect(flagsOf(beacon('a', 6, RSN_PSK_CCMP))).toBe('[WPA2-PSK-CCMP][ESS]');
    // PSK is printed before PSK-SHA256 whatever the suite order in the element.
    expect(flagsOf(beacon('a', 6, RSN_PSK_PSK256_MFPC))).toBe('[WPA2-PSK+PSK-SHA256-CCMP][ESS]');
    expect(flagsOf(beacon('a', 6, RSN_SAE_MFPR))).toBe('[WPA2-SAE-CCMP][ESS]');
    expect(flagsOf(beacon('a', 6, RSN_EAP_FT_PREAUTH))).toBe('[WPA2-EAP+FT/EAP-CCMP-preauth][ESS]');
    // wpa_write_ciphers: CCMP before TKIP, joined with '+'.
    expect(flagsOf(beacon('a', 6, RSN_PSK_CCMP_TKIP))).toBe('[WPA2-PSK-CCMP+TKIP][ESS]');
  });

  it('lists WPA before WPA2, then RSNX, WPS, WEP, IBSS/ESS', () => {
    expect(flagsOf(beacon('a', 6, WPA1_PSK_TKIP, RSN_PSK_CCMP_TKIP))).toBe('[WPA-PSK-TKIP][WPA2-PSK-CCMP+TKIP][ESS]');
    expect(flagsOf(beacon('a', 6, RSN_SAE_MFPR, RSNX_H2E))).toBe('[WPA2-SAE-CCMP][SAE-H2E][ESS]');
    expect(flagsOf(beacon('a', 6, RSN_PSK_CCMP, WPS_PLAIN))).toBe('[WPA2-PSK-CCMP][WPS][ESS]');
    expect(flagsOf(beacon('a', 6, RSN_PSK_CCMP, WPS_PBC))).toBe('[WPA2-PSK-CCMP][WPS-PBC][ESS]');
    // Privacy without WPA/RSN elements is WEP.
    expect(flagsOf(beacon('a', 6), 0x0011)).toBe('[WEP][ESS]');
    expect(flagsOf(beacon('a', 6), 0x0001)).toBe('[ESS]');
    expect(flagsOf(beacon('a', 6), 0x0002)).toBe('[IBSS]');
    expect(flagsOf(beacon('a', 6), 0x0000)).toBe('');
  });

  it('uses the RSNE defaults for left-out fields and "?" for an element wpa_supplicant rejects', () => {
    // Version only: group/pairwise CCMP, AKM 802.1X (wpa_parse_wpa_ie_rsn defaults).
    expect(flagsOf(beacon('a', 6, hex('30 02 0100')))).toBe('[WPA2-EAP-CCMP][ESS]');
    // Version 2 is refused.
    expect(flagsOf(beacon('a', 6, hex('30 02 0200')))).toBe('[WPA2-?][ESS]');
    // WEP-40 as group cipher is not a valid group cipher.
    expect(flagsOf(beacon('a', 6, hex('30 14 0100 000fac01 0100 000fac04 0100 000fac02 0000')))).toBe('[WPA2-?][ESS]');
    // A trailing octet after the capabilities is ignored.
    expect(flagsOf(beacon('a', 6, hex('30 15 0100 000fac04 0100 000fac04 0100 000fac02 0000 ff')))).toBe('[WPA2-PSK-CCMP][ESS]');
    // An AKM nobody knows leaves the AKM part empty.
    expect(flagsOf(beacon('a', 6, hex('30 14 0100 000fac04 0100 000fac04 0100 000fac63 0000')))).toBe('[WPA2--CCMP][ESS]');
  });
});

describe('ssid text (wpa_ssid_txt / printf_encode)', () => {
  it('escapes quote, backslash, control characters and non-ASCII bytes', () => {
    expect(ssidTxt(Buffer.from('plain net'))).toBe('plain net');
    expect(ssidTxt(Buffer.concat([Buffer.from('a"b\\c\t\n\r\x1b'), hex('c3a9 00 7f')]))).toBe('a\\"b\\\\c\\t\\n\\r\\e\\xc3\\xa9\\x00\\x7f');
  });

  it('cuts an over-long SSID where printf_encode() fills its 32 * 4 + 1 byte buffer', () => {
    // A byte is written only while more than 4 bytes of the buffer remain.
    expect(ssidTxt(Buffer.alloc(40, 0xff))).toBe('\\xff'.repeat(32));
    expect(ssidTxt(Buffer.alloc(200, 'a'))).toBe('a'.repeat(125));
  });
});

describe('SCAN_RESULTS', () => {
  it('prints the header and one tab-separated row per BSS in id order', () => {
    const { table } = makeTable();
    table.update([
      scanBss(1, beacon('home', 6, RSN_PSK_CCMP)),
      scanBss(2, beacon('cafe "5G"', 36, RSN_SAE_MFPR), { freq: 5180, signal: -67 }),
      scanBss(3, beacon(hex('e9746500'), 1), { freq: 2412, signal: -80, caps: 0x0001 }),
    ]);
    expect(formatScanResults(table)).toBe(
      'bssid / frequency / signal level / flags / ssid\n' +
        '02:00:00:00:00:01\t2437\t-50\t[WPA2-PSK-CCMP][ESS]\thome\n' +
        '02:00:00:00:00:02\t5180\t-67\t[WPA2-SAE-CCMP][ESS]\tcafe \\"5G\\"\n' +
        '02:00:00:00:00:03\t2412\t-80\t[ESS]\t\\xe9te\\x00\n',
    );
  });

  it('hides P2P Device listen results (P2P IE with SSID "DIRECT-")', () => {
    const { table } = makeTable();
    const p2p = hex('dd 06 506f9a09 0200');
    table.update([scanBss(1, beacon('DIRECT-', 1, p2p)), scanBss(2, beacon('DIRECT-xy', 1, p2p), { caps: 0x0001 })]);
    expect(formatScanResults(table)).toBe(
      'bssid / frequency / signal level / flags / ssid\n02:00:00:00:00:02\t2437\t-50\t[ESS][P2P]\tDIRECT-xy\n',
    );
  });

  it('with 1000 BSSes stops at the last whole row that fits 4096 bytes (NUL included)', () => {
    const { table } = makeTable();
    const kinds = [RSN_PSK_CCMP, RSN_PSK_PSK256_MFPC, RSN_SAE_MFPR, RSN_EAP_FT_PREAUTH];
    table.update(Array.from({ length: 1000 }, (_, i) => scanBss(i, beacon(`ap-${i}`.repeat(1 + (i % 3)), 1 + (i % 11), kinds[i % 4]))));
    const all = formatScanResults(table, 1 << 20);
    expect(all.split('\n')).toHaveLength(1002); // header + 1000 rows + the empty tail
    const reply = formatScanResults(table);
    expect(Buffer.byteLength(reply)).toBeLessThanOrEqual(4095);
    expect(reply.endsWith('\n')).toBe(true);
    expect(all.startsWith(reply)).toBe(true);
    const nextRow = all.slice(reply.length, all.indexOf('\n', reply.length) + 1);
    expect(reply.length + nextRow.length).toBeGreaterThan(4095);
    for (const row of reply.split('\n').slice(1, -1)) expect(row.split('\t')).toHaveLength(5);
  });

  it('follows os_snprintf at the edge: a [WPA2-...] piece that does not fit is dropped, the row is kept', () => {
    const { table } = makeTable();
    table.update([scanBss(1, beacon('', 6, RSN_EAP_FT_PREAUTH), { caps: 0x0010 })]);
    const header = 'bssid / frequency / signal level / flags / ssid\n';
    const upToCiphers = '02:00:00:00:00:01\t2437\t-50\t[WPA2-EAP+FT/EAP-CCMP';
    // 12 bytes of room after the ciphers hold "-preauth]\t\n" and the NUL.
    expect(formatScanResults(table, header.length + upToCiphers.length + 12)).toBe(`${header}${upToCiphers}-preauth]\t\n`);
    // With 8, "-preauth" does not fit: wpa_supplicant_ie_txt returns early
    // (no "]"), and the SSID column and newline still fit.
    expect(formatScanResults(table, header.length + upToCiphers.length + 8)).toBe(`${header}${upToCiphers}\t\n`);
    // With 2, not even the newline fits: the row is dropped.
    expect(formatScanResults(table, header.length + upToCiphers.length + 2)).toBe(header);
  });
});

describe('BSS', () => {
  const IES = beacon('home', 6, RSN_PSK_CCMP);
  const FULL =
    'id=0\n' +
    'bssid=02:00:00:00:00:01\n' +
    'freq=2437\n' +
    'beacon_int=100\n' +
    'capabilities=0x0411\n' +
    'qual=0\n' +
    'noise=-95\n' +
    'level=-50\n' +
    'tsf=0000000000000000\n' +
    'age=3\n' +
    `ie=${IES.toString('hex')}\n` +
    'flags=[WPA2-PSK-CCMP][ESS]\n' +
    'ssid=home\n' +
    'snr=45\n' +
    // 54 Mb/s (0x6c in Extended Supported Rates) at an SNR of 45 dB, in kb/s.
    'est_throughput=54000\n' +
    'update_idx=1\n';

  function threeWithGap() {
    // ids 0, 2, 3: id 1 expires after missing from two scans (bss.c expiry).
    const { table, clock } = makeTable();
    const a = scanBss(1, IES);
    const b = scanBss(2, beacon('b', 1));
    const c = scanBss(3, beacon('c', 11, RSN_SAE_MFPR));
    const d = scanBss(4, beacon('d', 36), { freq: 5180 });
    table.update([a, b, c]);
    table.update([a, c]);
    table.update([a, c]);
    table.update([a, c, d]);
    expect(table.list().map((e) => e.id)).toEqual([0, 2, 3]);
    return { table, clock };
  }

  it('prints every print_bss_info line of a plain RSN BSS, in order', () => {
    const { table, clock } = makeTable();
    table.update([scanBss(1, IES)]);
    clock.t += 3;
    expect(formatBss(table, '02:00:00:00:00:01', {})).toBe(FULL);
    expect(formatBss(table, '02:00:00:00:00:01 MASK=0', {})).toBe(FULL); // MASK 0 = all
    expect(formatBss(table, '02:00:00:00:00:01 MASK=fffdffff', {})).toBe(FULL);
  });

  it('uses the band default noise floor when the driver measured none (scan_snr)', () => {
    const { table } = makeTable();
    table.update([scanBss(1, IES, { noise: 0 }), scanBss(2, IES, { noise: 0, freq: 5180 })]);
    expect(formatBss(table, 'ID-0 MASK=800c0', {})).toBe('noise=-89\nlevel=-50\nsnr=39\n');
    expect(formatBss(table, 'ID-1 MASK=800c0', {})).toBe('noise=-92\nlevel=-50\nsnr=42\n');
  });

  it('selects by index, id, BSSID, FIRST, LAST, NEXT-, CURRENT like wpa_supplicant_ctrl_iface_bss', () => {
    const { table } = threeWithGap();
    const id = (args: string, current?: string) => formatBss(table, `${args} MASK=1`, { currentBssid: current });
    expect(id('0')).toBe('id=0\n');
    expect(id('1')).toBe('id=2\n'); // a bare number is an index into the table, not an id
    expect(id('3')).toBe('');
    expect(id('-1')).toBe('');
    expect(id('ID-2')).toBe('id=2\n');
    expect(id('ID-1')).toBe('');
    expect(id('FIRST')).toBe('id=0\n');
    expect(id('LAST')).toBe('id=3\n');
    expect(id('NEXT-0')).toBe('id=2\n');
    expect(id('NEXT-3')).toBe('');
    expect(id('NEXT-1')).toBe('');
    expect(id('02:00:00:00:00:03')).toBe('id=2\n');
    expect(id('02:00:00:00:00:02')).toBe('');
    expect(id('CURRENT', '02:00:00:00:00:04')).toBe('id=3\n');
    expect(id('CURRENT')).toBe('');
    // 2.10 has no PREV-: atoi("PREV-3") is 0, so it is index 0.
    expect(id('PREV-3')).toBe('id=0\n');
  });

  it('prints RANGE= entries up to the last id, ==== after each and #### after the table\'s last (MASK DELIM)', () => {
    const { table } = threeWithGap();
    const r = (args: string) => formatBss(table, args, {});
    expect(r('RANGE=ALL MASK=1')).toBe('id=0\nid=2\nid=3\n');
    expect(r('RANGE=ALL MASK=20001')).toBe('id=0\n====\nid=2\n====\nid=3\n####\n');
    expect(r('RANGE=0-2 MASK=20001')).toBe('id=0\n====\nid=2\n====\n');
    expect(r('RANGE=1-2 MASK=20001')).toBe('id=2\n====\n');
    expect(r('RANGE=0-1 MASK=1')).toBe('id=0\n'); // id 1 is gone: the range ends before id 2
    expect(r('RANGE=2- MASK=1')).toBe('id=2\nid=3\n');
    expect(r('RANGE=-2 MASK=1')).toBe('id=0\nid=2\n');
    expect(r('RANGE=4-9 MASK=1')).toBe('');
    expect(r('RANGE=3 MASK=1')).toBe(''); // no '-': "Wrong BSS range format"
    // DELIM on a single entry that is the table's last also ends in ####.
    expect(r('LAST MASK=20002')).toBe('bssid=02:00:00:00:00:04\n####\n');
    expect(r('FIRST MASK=20002')).toBe('bssid=02:00:00:00:00:01\n====\n');
  });

  it('parses MASK= as strtoul base 16 anywhere in the arguments', () => {
    const { table } = threeWithGap();
    expect(formatBss(table, 'FIRST MASK=0x1001', {})).toBe('id=0\nssid=home\n');
    expect(formatBss(table, 'FIRST MASK=1001junk', {})).toBe('id=0\nssid=home\n');
    // Bits above the ones print_bss_info knows print nothing: an empty entry is an empty reply.
    expect(formatBss(table, 'FIRST MASK=100000000', {})).toBe('');
  });

  it('returns an empty reply for an entry that does not fit, and never cuts inside an entry', () => {
    const { table, clock } = makeTable();
    table.update([scanBss(1, IES)]);
    clock.t += 3;
    expect(formatBss(table, 'FIRST', { bufSize: FULL.length + 1 })).toBe(FULL);
    expect(formatBss(table, 'FIRST', { bufSize: FULL.length })).toBe('');
  });

  it('with 1000 BSSes RANGE=ALL returns only whole entries and stays within 4096 bytes', () => {
    const { table, clock } = makeTable();
    table.update(Array.from({ length: 1000 }, (_, i) => scanBss(i, beacon(`net${i}`, 1 + (i % 11), RSN_PSK_PSK256_MFPC))));
    clock.t += 1;
    const reply = formatBss(table, 'RANGE=ALL MASK=fffff', {});
    expect(Buffer.byteLength(reply)).toBeLessThanOrEqual(4095);
    const entries = reply.split('====\n');
    expect(entries.pop()).toBe('');
    expect(entries.length).toBeGreaterThan(1);
    entries.forEach((entry, i) => expect(`${entry}====\n`).toBe(formatBss(table, `ID-${i} MASK=fffff`, {})));
    const next = formatBss(table, `ID-${entries.length} MASK=fffff`, {});
    expect(reply.length + next.length).toBeGreaterThan(4095);
    // Paging on from the last id returned continues where the reply stopped.
    expect(formatBss(table, `RANGE=${entries.length}- MASK=fffff`, {}).startsWith(next)).toBe(true);
  });
});
