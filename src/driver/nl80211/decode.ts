/**
 * nl80211 notifications (multicast groups mlme, scan, config, vendor) into
 * the DriverBackend's events. Pure: one message in, one result out. Anything
 * the daemon cannot use (truncated attributes, unknown commands, another
 * interface's events) comes back as `dropped` with a reason for the log;
 * decoding never throws.
 */
import { type AssocEvent, type DriverEvents, ZERO_ADDR } from '../backend.js';
import {
  type Attrs, type GenlMessage, getBytes, getMac, getU16, getU32, getU8, Nl80211DecodeError, parseAttrs,
} from './attrs.js';
import { Attr, Cmd, CqmAttr, ETH_P_PAE, ExternalAuthAction, OUI_QCA, QcaSubcmd, RekeyAttr, RoamAuthAttr } from './numbers.js';
import type { RoamAuth } from './roam-auth.js';
import { wakeReason } from './wowlan.js';

type Ev<K extends keyof DriverEvents> = { name: K; args: DriverEvents[K] };
/** A DriverBackend event, ready for `emit(e.name, ...e.args)`. */
export type DriverEventMsg = { [K in keyof DriverEvents]: Ev<K> }[keyof DriverEvents];

export type Decoded =
  | { kind: 'event'; event: DriverEventMsg }
  /** NL80211_CMD_ROAM: goes through RoamAuthPairing. */
  | { kind: 'roam'; assoc: AssocEvent }
  /** QCA KEY_MGMT_ROAM_AUTH: goes through RoamAuthPairing. */
  | { kind: 'roam_auth'; auth: RoamAuth }
  /** Results are ready: fetch them with a GET_SCAN dump. */
  | { kind: 'scan_done' }
  | { kind: 'scan_aborted' }
  /** NOTIFY_CQM: the RSSI crossed the SIGNAL_MONITOR threshold; `level` when the kernel says (dBm). */
  | { kind: 'cqm_rssi'; level?: number }
  /** AUTHENTICATE event: an Authentication frame from `bssid`; `body` from the Authentication Algorithm Number on. */
  | { kind: 'auth_frame'; bssid: string; algorithm: number; status: number; body: Buffer }
  /** ASSOCIATE event: the (Re)Association Response of the host SME's ASSOCIATE. */
  | { kind: 'assoc_frame'; bssid: string; freq: number; status: number; reqIes: Buffer; respIes: Buffer }
  /** AUTHENTICATE or ASSOCIATE with TIMED_OUT: the AP did not answer. */
  | { kind: 'mlme_timeout'; step: 'auth' | 'assoc'; bssid: string }
  /** EXTERNAL_AUTH event: the driver asks for SAE with `bssid` (start) or gives it up (abort); `akm` the suite as a u32. */
  | { kind: 'external_auth'; action: 'start' | 'abort'; bssid: string; ssid: Buffer; akm: number }
  /** CMD_FRAME event: an Authentication frame we registered for (external SAE); `body` from the algorithm number on. */
  | { kind: 'frame_auth'; bssid: string; algorithm: number; status: number; body: Buffer }
  /** Our wiphy was removed (module unloaded, device unplugged). */
  | { kind: 'wiphy_gone' }
  | { kind: 'dropped'; reason: string };

export interface DecodeContext {
  ifindex: number;
  wiphy?: number;
  /** The BSS we are associated with: DISCONNECT does not name it. */
  bssid?: string;
}

const EMPTY = Buffer.alloc(0);
const ev = <K extends keyof DriverEvents>(name: K, ...args: DriverEvents[K]): Decoded => ({ kind: 'event', event: { name, args } as DriverEventMsg });
const opt = (a: Attrs, t: number): Buffer | undefined => (a.has(t) ? getBytes(a.get(t), `attr ${t}`) : undefined);

function assocFrom(a: Attrs, roam: boolean): AssocEvent {
  const e: AssocEvent = {
    bssid: getMac(a.get(Attr.MAC), 'ATTR_MAC'),
    freq: a.has(Attr.WIPHY_FREQ) ? getU32(a.get(Attr.WIPHY_FREQ), 'ATTR_WIPHY_FREQ') : 0,
    reqIes: opt(a, Attr.REQ_IE) ?? EMPTY,
    respIes: opt(a, Attr.RESP_IE) ?? EMPTY,
    beaconIes: EMPTY,
    roam,
    authorized: false,
  };
  const pmk = opt(a, Attr.PMK);
  const pmkid = opt(a, Attr.PMKID);
  if (pmk) e.pmk = pmk;
  if (pmkid) e.pmkid = pmkid;
  if (a.has(Attr.MLD_ADDR)) e.apMldAddr = getMac(a.get(Attr.MLD_ADDR), 'ATTR_MLD_ADDR');
  return e;
}

/** IEEE 802.11 management frame header: frame control, duration, DA, SA, BSSID, sequence control. */
const MGMT_HDR = 24;
const MGMT_BSSID = 16;

/**
 * An AUTHENTICATE or ASSOCIATE mlme event of the host's SME: a received
 * frame (ATTR_FRAME, the whole management frame) or TIMED_OUT with the BSS
 * in ATTR_MAC. The BSS is the frame's BSSID field (addr3), as 2.10's
 * mlme_event_auth() and mlme_event_assoc() take it.
 */
function decodeMlme(a: Attrs, step: 'auth' | 'assoc'): Decoded {
  if (a.has(Attr.TIMED_OUT)) return { kind: 'mlme_timeout', step, bssid: getMac(a.get(Attr.MAC), 'ATTR_MAC') };
  const frame = getBytes(a.get(Attr.FRAME), 'ATTR_FRAME');
  // Authentication: algorithm, transaction, status; (Re)Association Response: capability, status, AID.
  if (frame.length < MGMT_HDR + 6) throw new Nl80211DecodeError(`${step} frame of ${frame.length} bytes, expected at least ${MGMT_HDR + 6}`);
  const bssid = getMac(frame.subarray(MGMT_BSSID, MGMT_BSSID + 6), 'frame BSSID');
  const body = Buffer.from(frame.subarray(MGMT_HDR));
  if (step === 'auth') return { kind: 'auth_frame', bssid, algorithm: body.readUInt16LE(0), status: body.readUInt16LE(4), body };
  return {
    kind: 'assoc_frame',
    bssid,
    freq: a.has(Attr.WIPHY_FREQ) ? getU32(a.get(Attr.WIPHY_FREQ), 'ATTR_WIPHY_FREQ') : 0,
    status: body.readUInt16LE(2),
    reqIes: opt(a, Attr.REQ_IE) ?? EMPTY,
    respIes: body.subarray(6),
  };
}

/**
 * EXTERNAL_AUTH, as 2.10's nl80211_external_auth(): without the AKM, the
 * action, the BSSID or the SSID, or with an action it does not know, it is
 * dropped.
 */
function decodeExternalAuth(a: Attrs): Decoded {
  for (const [t, name] of [[Attr.AKM_SUITES, 'AKM_SUITES'], [Attr.EXTERNAL_AUTH_ACTION, 'EXTERNAL_AUTH_ACTION'], [Attr.BSSID, 'BSSID'], [Attr.SSID, 'SSID']] as const) {
    if (!a.has(t)) return { kind: 'dropped', reason: `EXTERNAL_AUTH without ATTR_${name}` };
  }
  const act = getU32(a.get(Attr.EXTERNAL_AUTH_ACTION), 'ATTR_EXTERNAL_AUTH_ACTION');
  const action = act === ExternalAuthAction.START ? 'start' : act === ExternalAuthAction.ABORT ? 'abort' : undefined;
  if (!action) return { kind: 'dropped', reason: `EXTERNAL_AUTH action ${act} unknown` };
  const ssid = getBytes(a.get(Attr.SSID), 'ATTR_SSID');
  if (ssid.length > 32) throw new Nl80211DecodeError(`ATTR_SSID: ${ssid.length} bytes, expected at most 32`);
  return { kind: 'external_auth', action, bssid: getMac(a.get(Attr.BSSID), 'ATTR_BSSID'), ssid, akm: getU32(a.get(Attr.AKM_SUITES), 'ATTR_AKM_SUITES') };
}

/** A received management frame (CMD_FRAME event): only Authentication frames are registered for. */
function decodeFrame(a: Attrs): Decoded {
  const frame = getBytes(a.get(Attr.FRAME), 'ATTR_FRAME');
  if (frame.length < 2 || (frame.readUInt16LE(0) & 0xfc) !== 0xb0) return { kind: 'dropped', reason: 'management frame other than Authentication not used' };
  const d = decodeMlme(a, 'auth');
  if (d.kind !== 'auth_frame') return d;
  return { kind: 'frame_auth', bssid: d.bssid, algorithm: d.algorithm, status: d.status, body: d.body };
}

/** The vendor data of KEY_MGMT_ROAM_AUTH; every attribute optional, each checked when present. */
function decodeRoamAuth(data: Buffer): RoamAuth {
  const v = parseAttrs(data);
  const r: RoamAuth = {};
  if (v.has(RoamAuthAttr.BSSID)) r.bssid = getMac(v.get(RoamAuthAttr.BSSID), 'ROAM_AUTH_BSSID');
  if (v.has(RoamAuthAttr.REQ_IE)) r.reqIes = getBytes(v.get(RoamAuthAttr.REQ_IE), 'ROAM_AUTH_REQ_IE');
  if (v.has(RoamAuthAttr.RESP_IE)) r.respIes = getBytes(v.get(RoamAuthAttr.RESP_IE), 'ROAM_AUTH_RESP_IE');
  if (v.has(RoamAuthAttr.AUTHORIZED)) r.authorized = getU8(v.get(RoamAuthAttr.AUTHORIZED), 'ROAM_AUTH_AUTHORIZED') !== 0;
  if (v.has(RoamAuthAttr.KEY_REPLAY_CTR)) r.keyReplayCtr = getBytes(v.get(RoamAuthAttr.KEY_REPLAY_CTR), 'ROAM_AUTH_KEY_REPLAY_CTR');
  if (v.has(RoamAuthAttr.PTK_KCK)) r.kck = getBytes(v.get(RoamAuthAttr.PTK_KCK), 'ROAM_AUTH_PTK_KCK');
  if (v.has(RoamAuthAttr.PTK_KEK)) r.kek = getBytes(v.get(RoamAuthAttr.PTK_KEK), 'ROAM_AUTH_PTK_KEK');
  if (v.has(RoamAuthAttr.STATUS)) r.status = getU16(v.get(RoamAuthAttr.STATUS), 'ROAM_AUTH_STATUS');
  if (v.has(RoamAuthAttr.RETAIN_CONNECTION)) r.retainConnection = true;
  if (v.has(RoamAuthAttr.PMK)) r.pmk = getBytes(v.get(RoamAuthAttr.PMK), 'ROAM_AUTH_PMK');
  if (v.has(RoamAuthAttr.PMKID)) r.pmkid = getBytes(v.get(RoamAuthAttr.PMKID), 'ROAM_AUTH_PMKID');
  return r;
}

function decodeVendor(a: Attrs): Decoded {
  const oui = getU32(a.get(Attr.VENDOR_ID), 'ATTR_VENDOR_ID');
  const sub = getU32(a.get(Attr.VENDOR_SUBCMD), 'ATTR_VENDOR_SUBCMD');
  if (oui !== OUI_QCA || sub !== QcaSubcmd.KEY_MGMT_ROAM_AUTH) return { kind: 'dropped', reason: `vendor event ${oui.toString(16).padStart(6, '0')}/${sub} not used` };
  return { kind: 'roam_auth', auth: decodeRoamAuth(a.get(Attr.VENDOR_DATA) ?? EMPTY) };
}

function decodeInner(msg: GenlMessage, ctx: DecodeContext): Decoded {
  const a = parseAttrs(msg.data);
  if (msg.cmd === Cmd.DEL_WIPHY) {
    const w = getU32(a.get(Attr.WIPHY), 'ATTR_WIPHY');
    return w === ctx.wiphy ? { kind: 'wiphy_gone' } : { kind: 'dropped', reason: `wiphy ${w} is not ours` };
  }
  const ifindex = a.has(Attr.IFINDEX) ? getU32(a.get(Attr.IFINDEX), 'ATTR_IFINDEX') : undefined;
  if (ifindex === undefined) return { kind: 'dropped', reason: `command ${msg.cmd} without ATTR_IFINDEX` };
  if (ifindex !== ctx.ifindex) return { kind: 'dropped', reason: `command ${msg.cmd} for ifindex ${ifindex}, not ours` };
  switch (msg.cmd) {
    case Cmd.TRIGGER_SCAN:
      return ev('scan_started');
    case Cmd.NEW_SCAN_RESULTS:
      return { kind: 'scan_done' };
    case Cmd.SCAN_ABORTED:
      return { kind: 'scan_aborted' };
    case Cmd.AUTHENTICATE:
      return decodeMlme(a, 'auth');
    case Cmd.ASSOCIATE:
      return decodeMlme(a, 'assoc');
    case Cmd.CONNECT: {
      const status = getU16(a.get(Attr.STATUS_CODE), 'ATTR_STATUS_CODE');
      if (status !== 0) {
        const bssid = a.has(Attr.MAC) ? getMac(a.get(Attr.MAC), 'ATTR_MAC') : ZERO_ADDR;
        return ev('assoc_reject', { bssid, status, timeout: a.has(Attr.TIMED_OUT) });
      }
      return ev('assoc', assocFrom(a, false));
    }
    case Cmd.ROAM:
      return { kind: 'roam', assoc: assocFrom(a, true) };
    case Cmd.DISCONNECT: {
      const reason = a.has(Attr.REASON_CODE) ? getU16(a.get(Attr.REASON_CODE), 'ATTR_REASON_CODE') : 0;
      return ev('disconnected', { bssid: ctx.bssid ?? ZERO_ADDR, reason, locallyGenerated: !a.has(Attr.DISCONNECTED_BY_AP) });
    }
    case Cmd.PORT_AUTHORIZED: {
      const p: DriverEvents['port_authorized'][0] = { bssid: getMac(a.get(Attr.MAC), 'ATTR_MAC') };
      const td = opt(a, Attr.TD_BITMAP);
      if (td) p.tdBitmap = td;
      return ev('port_authorized', p);
    }
    case Cmd.SET_REKEY_OFFLOAD: {
      const r = parseAttrs(a.get(Attr.REKEY_DATA) ?? EMPTY);
      const replayCtr = Buffer.from(getBytes(r.get(RekeyAttr.REPLAY_CTR), 'REKEY_DATA_REPLAY_CTR'));
      if (replayCtr.length !== 8) throw new Nl80211DecodeError(`REKEY_DATA_REPLAY_CTR: ${replayCtr.length} bytes, expected 8`);
      return ev('gtk_rekey', { bssid: getMac(a.get(Attr.MAC), 'ATTR_MAC'), replayCtr });
    }
    case Cmd.EXTERNAL_AUTH:
      return decodeExternalAuth(a);
    case Cmd.FRAME:
      return decodeFrame(a);
    case Cmd.SET_WOWLAN: {
      // The kernel's wake-up report; without reasons the wake was not WoWLAN's.
      const reason = wakeReason(a.get(Attr.WOWLAN_TRIGGERS));
      return reason ? ev('wake', { reason }) : { kind: 'dropped', reason: 'wake-up report without a WoWLAN reason' };
    }
    case Cmd.CONTROL_PORT_FRAME: {
      const proto = getU16(a.get(Attr.CONTROL_PORT_ETHERTYPE), 'ATTR_CONTROL_PORT_ETHERTYPE');
      if (proto !== ETH_P_PAE) return { kind: 'dropped', reason: `control port frame of EtherType 0x${proto.toString(16)}` };
      return ev('eapol_rx', { src: getMac(a.get(Attr.MAC), 'ATTR_MAC'), data: getBytes(a.get(Attr.FRAME), 'ATTR_FRAME') });
    }
    case Cmd.VENDOR:
      return decodeVendor(a);
    case Cmd.NOTIFY_CQM: {
      const c = parseAttrs(getBytes(a.get(Attr.CQM), 'ATTR_CQM'));
      // mac80211's beacon-loss timer gave up on the AP (a flag; the disconnect follows).
      if (c.has(CqmAttr.BEACON_LOSS_EVENT)) return ev('beacon_loss');
      if (!c.has(CqmAttr.RSSI_THRESHOLD_EVENT)) return { kind: 'dropped', reason: 'CQM event other than beacon loss or an RSSI threshold crossing not used' };
      // Low or high is not passed on: the station compares the level with its own threshold.
      getU32(c.get(CqmAttr.RSSI_THRESHOLD_EVENT), 'CQM_RSSI_THRESHOLD_EVENT');
      return c.has(CqmAttr.RSSI_LEVEL) ? { kind: 'cqm_rssi', level: getU32(c.get(CqmAttr.RSSI_LEVEL), 'CQM_RSSI_LEVEL') | 0 } : { kind: 'cqm_rssi' };
    }
    default:
      return { kind: 'dropped', reason: `command ${msg.cmd} not used` };
  }
}

export function decodeEvent(msg: GenlMessage, ctx: DecodeContext): Decoded {
  try {
    return decodeInner(msg, ctx);
  } catch (e) {
    if (e instanceof Nl80211DecodeError) return { kind: 'dropped', reason: `command ${msg.cmd}: ${e.message}` };
    throw e;
  }
}

