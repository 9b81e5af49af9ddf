/**
 * The Information Elements a simulated AP puts in its Beacon, Probe Response
 * and (Re)Association Response frames, built byte for byte as 802.11 lays
 * them out, so the daemon's IE parser and RSNE matching see real input.
 */
import { akmFacts, akmFamily } from '../../rsn/akm.js';
import { macBytes } from '../../rsn/crypto.js';
import { buildFte, buildMde, type FtAssoc } from '../../rsn/ft.js';
import { buildRsne } from '../../rsn/rsne.js';
import type { ApConfig } from './scenario.js';
import { freqToChannel, is24GHz } from '../channel.js';

const EID_SSID = 0;
const EID_SUPP_RATES = 1;
const EID_DS_PARAMS = 3;
const EID_TIM = 5;
const EID_ERP = 42;
const EID_EXT_SUPP_RATES = 50;
const EID_RSNX = 244;
/** RSNXE: field length 0 (one octet) and bit 5, SAE hash-to-element. */
const RSNX_SAE_H2E = 0x20;

/** Capability Information bits (802.11-2020 9.4.1.4). */
const CAP_ESS = 0x0001;
const CAP_PRIVACY = 0x0010;
const CAP_SHORT_SLOT = 0x0400;

function ie(id: number, body: Buffer | number[]): Buffer {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return Buffer.concat([Buffer.from([id, b.length]), b]);
}

/** Rates in 500 kb/s units; the basic (mandatory) ones carry bit 7. */
function rates(freq: number): { supp: number[]; ext: number[] } {
  return is24GHz(freq)
    ? { supp: [0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24], ext: [0x30, 0x48, 0x60, 0x6c] }
    : { supp: [0x8c, 0x12, 0x98, 0x24, 0xb0, 0x48, 0x60, 0x6c], ext: [] };
}

/** The AP runs RSN (it is not open). */
export function apRsn(ap: ApConfig): boolean {
  return !ap.akms.includes('NONE');
}

/** The AP's RSNE, or an empty buffer for an open AP; the Authenticator compares msg 2/3 against it. */
export function apRsne(ap: ApConfig): Buffer {
  if (!apRsn(ap)) return Buffer.alloc(0);
  return buildRsne({
    group: ap.group,
    pairwise: [ap.pairwise],
    akms: ap.akms,
    mfpc: ap.mfp !== 'none',
    mfpr: ap.mfp === 'required',
    pmkids: [],
    groupMgmt: ap.mfp !== 'none' ? ap.groupMgmt : undefined,
  });
}

export function capabilityInfo(ap: ApConfig): number {
  return CAP_ESS | (apRsn(ap) ? CAP_PRIVACY : 0) | (is24GHz(ap.freq) ? CAP_SHORT_SLOT : 0);
}

function commonIes(ap: ApConfig, ssid: Buffer, withTim: boolean): Buffer {
  const r = rates(ap.freq);
  const parts = [ie(EID_SSID, ssid), ie(EID_SUPP_RATES, r.supp), ie(EID_DS_PARAMS, [freqToChannel(ap.freq)])];
  // TIM: DTIM count 0, DTIM period 2, no buffered traffic.
  if (withTim) parts.push(ie(EID_TIM, [0, 2, 0, 0]));
  if (is24GHz(ap.freq)) parts.push(ie(EID_ERP, [0]));
  parts.push(apRsne(ap));
  // FT: the Mobility Domain element follows the RSNE (9.3.3.2, Table 9-32).
  if (offersFt(ap)) parts.push(buildMde(ap.mdid));
  if (ap.akms.some((a) => akmFamily(a) === 'sae') && ap.saePwe !== 0) parts.push(ie(EID_RSNX, [RSNX_SAE_H2E]));
  if (r.ext.length) parts.push(ie(EID_EXT_SUPP_RATES, r.ext));
  return Buffer.concat(parts);
}

/** Beacon body IEs; a hidden AP beacons an empty SSID. */
export function beaconIes(ap: ApConfig): Buffer {
  return commonIes(ap, ap.hidden ? Buffer.alloc(0) : ap.ssid, true);
}

/** Probe Response IEs: always the real SSID (a hidden AP answers directed probes). */
export function probeRespIes(ap: ApConfig): Buffer {
  return commonIes(ap, ap.ssid, false);
}

/** (Re)Association Request IEs as the station sends them: SSID, rates, then the host's IEs (its RSNE). */
export function assocReqIes(ap: ApConfig, hostIes: Buffer): Buffer {
  const r = rates(ap.freq);
  const parts = [ie(EID_SSID, ap.ssid), ie(EID_SUPP_RATES, r.supp)];
  if (r.ext.length) parts.push(ie(EID_EXT_SUPP_RATES, r.ext));
  return Buffer.concat([...parts, hostIes]);
}

/** (Re)Association Response IEs; for an FT AKM the MDE and the FTE of an initial mobility domain association. */
export function assocRespIes(ap: ApConfig, akm: string): Buffer {
  const r = rates(ap.freq);
  const ft = ftAssocFor(ap, akm);
  return Buffer.concat([ie(EID_SUPP_RATES, r.supp), ...(r.ext.length ? [ie(EID_EXT_SUPP_RATES, r.ext)] : []), ...(ft ? [ft.mde, ft.fte] : [])]);
}

export function isFtAkm(akm: string): boolean {
  return akmFacts(akm)?.ft ?? false;
}

/** The AP offers an FT AKM (among its `akms`): it beacons the MDE of its mobility domain. */
function offersFt(ap: ApConfig): boolean {
  return ap.akms.some(isFtAkm);
}

/** What an FT AP's (Re)Association Response gives the FT key hierarchy (R1KH-ID = its BSSID), for an association with an FT AKM. */
export function ftAssocFor(ap: ApConfig, akm: string): FtAssoc | undefined {
  if (!isFtAkm(akm)) return undefined;
  const r1khId = macBytes(ap.bssid);
  return { mde: buildMde(ap.mdid), fte: buildFte(akm, ap.r0khId, r1khId), mdid: ap.mdid, r0khId: ap.r0khId, r1khId, ssid: ap.ssid };
}
