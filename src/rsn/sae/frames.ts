/**
 * SAE Authentication frame bodies (IEEE 802.11-2020 9.3.3.11, 9.4.1.x): the
 * fixed Authentication Algorithm / Transaction Sequence / Status Code fields
 * and the Commit (transaction 1) and Confirm (transaction 2) contents.
 *
 * Parsers never throw: a body they cannot read gives the status code a peer
 * answers with, as hostap's sae_parse_commit() does.
 */
import { saeGroup } from './group.js';
import { SaeStatus, WLAN_AUTH_SAE } from './status.js';

const WLAN_EID_EXTENSION = 255;
const EXT_PASSWORD_IDENTIFIER = 33;
const EXT_REJECTED_GROUPS = 92;
const EXT_ANTI_CLOGGING_TOKEN = 93;

export interface SaeAuthFrame {
  transaction: number;
  status: number;
  /** Everything after the Status Code field. */
  body: Buffer;
}

export function encodeSaeAuth(f: SaeAuthFrame): Buffer {
  const head = Buffer.alloc(6);
  head.writeUInt16LE(WLAN_AUTH_SAE, 0);
  head.writeUInt16LE(f.transaction, 2);
  head.writeUInt16LE(f.status, 4);
  return Buffer.concat([head, f.body]);
}

/** The frame's fields, or undefined when it is too short or not SAE. */
export function decodeSaeAuth(frame: Buffer): SaeAuthFrame | undefined {
  if (frame.length < 6 || frame.readUInt16LE(0) !== WLAN_AUTH_SAE) return undefined;
  return { transaction: frame.readUInt16LE(2), status: frame.readUInt16LE(4), body: frame.subarray(6) };
}

export interface SaeCommit {
  group: number;
  /** Anti-Clogging Token: a bare field with hunting-and-pecking, a container element with H2E. */
  token?: Buffer;
  scalar: Buffer;
  element: Buffer;
  passwordId?: Buffer;
  /** H2E only: groups the AP refused with status 77 before this commit. */
  rejectedGroups?: number[];
}

function extElement(id: number, data: Buffer): Buffer {
  if (data.length > 254) throw new RangeError(`element ${id} of ${data.length} octets`);
  return Buffer.concat([Buffer.of(WLAN_EID_EXTENSION, data.length + 1, id), data]);
}

export function encodeCommit(c: SaeCommit, h2e: boolean): Buffer {
  const group = Buffer.alloc(2);
  group.writeUInt16LE(c.group);
  const parts: Buffer[] = [group];
  if (c.token && !h2e) parts.push(c.token);
  parts.push(c.scalar, c.element);
  if (c.passwordId) parts.push(extElement(EXT_PASSWORD_IDENTIFIER, c.passwordId));
  if (h2e && c.rejectedGroups?.length) {
    const list = Buffer.alloc(2 * c.rejectedGroups.length);
    c.rejectedGroups.forEach((g, i) => list.writeUInt16LE(g, 2 * i));
    parts.push(extElement(EXT_REJECTED_GROUPS, list));
  }
  if (c.token && h2e) parts.push(extElement(EXT_ANTI_CLOGGING_TOKEN, c.token));
  return Buffer.concat(parts);
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; status: number; reason: string };

const fail = (status: number, reason: string): { ok: false; status: number; reason: string } => ({ ok: false, status, reason });

/**
 * A Commit body. `tokenLen` is the length of the bare Anti-Clogging Token the
 * receiver asked for (hunting-and-pecking only; 0 if it asked for none): the
 * field has no length of its own, only the party that issued the token knows
 * it is there. An unknown group gives status 77 so that the peer may try its
 * next one; everything else malformed gives 1 (UNSPECIFIED_FAILURE).
 */
export function parseCommit(body: Buffer, h2e: boolean, tokenLen = 0): ParseResult<SaeCommit> {
  if (body.length < 2) return fail(SaeStatus.UNSPECIFIED_FAILURE, 'commit too short for the group');
  const groupId = body.readUInt16LE(0);
  const g = saeGroup(groupId);
  if (!g) return fail(SaeStatus.FINITE_CYCLIC_GROUP_NOT_SUPPORTED, `group ${groupId} not supported`);
  let pos = 2;
  let token: Buffer | undefined;
  if (!h2e && tokenLen > 0 && body.length - pos >= tokenLen + 3 * g.primeLen) {
    token = body.subarray(pos, pos + tokenLen);
    pos += tokenLen;
  }
  if (body.length - pos < 3 * g.primeLen) return fail(SaeStatus.UNSPECIFIED_FAILURE, 'commit too short for scalar and element');
  const scalar = body.subarray(pos, pos + g.primeLen);
  const element = body.subarray(pos + g.primeLen, pos + 3 * g.primeLen);
  pos += 3 * g.primeLen;
  const commit: SaeCommit = { group: groupId, scalar, element, token };
  while (pos < body.length) {
    if (body.length - pos < 3 || body[pos] !== WLAN_EID_EXTENSION) return fail(SaeStatus.UNSPECIFIED_FAILURE, 'unexpected data after the element');
    const len = body[pos + 1];
    if (len < 1 || pos + 2 + len > body.length) return fail(SaeStatus.UNSPECIFIED_FAILURE, 'truncated element');
    const id = body[pos + 2];
    const data = body.subarray(pos + 3, pos + 2 + len);
    pos += 2 + len;
    if (id === EXT_PASSWORD_IDENTIFIER && !commit.passwordId) commit.passwordId = data;
    else if (id === EXT_REJECTED_GROUPS && h2e && !commit.rejectedGroups) {
      if (data.length === 0 || data.length % 2) return fail(SaeStatus.UNSPECIFIED_FAILURE, 'malformed Rejected Groups element');
      commit.rejectedGroups = Array.from({ length: data.length / 2 }, (_, i) => data.readUInt16LE(2 * i));
    } else if (id === EXT_ANTI_CLOGGING_TOKEN && h2e && !commit.token) commit.token = data;
    else return fail(SaeStatus.UNSPECIFIED_FAILURE, `unexpected element 255/${id}`);
  }
  return { ok: true, value: commit };
}

/** Body of a status-76 reply: the group, then the token (in its container element with H2E). */
export function encodeTokenRequest(group: number, token: Buffer, h2e: boolean): Buffer {
  const g = Buffer.alloc(2);
  g.writeUInt16LE(group);
  return Buffer.concat([g, h2e ? extElement(EXT_ANTI_CLOGGING_TOKEN, token) : token]);
}

export function parseTokenRequest(body: Buffer, h2e: boolean): ParseResult<{ group: number; token: Buffer }> {
  if (body.length < 2) return fail(SaeStatus.UNSPECIFIED_FAILURE, 'anti-clogging token request too short');
  const group = body.readUInt16LE(0);
  let token = body.subarray(2);
  if (h2e) {
    if (token.length < 3 || token[0] !== WLAN_EID_EXTENSION || token[2] !== EXT_ANTI_CLOGGING_TOKEN || token[1] + 2 !== token.length) {
      return fail(SaeStatus.UNSPECIFIED_FAILURE, 'malformed Anti-Clogging Token Container');
    }
    token = token.subarray(3);
  }
  return { ok: true, value: { group, token } };
}

export interface SaeConfirm {
  sendConfirm: number;
  confirm: Buffer;
}

export function encodeConfirm(c: SaeConfirm): Buffer {
  const sc = Buffer.alloc(2);
  sc.writeUInt16LE(c.sendConfirm);
  return Buffer.concat([sc, c.confirm]);
}

/** A Confirm body; trailing data (SAE-PK elements) is not read, as hostap's sae_check_confirm(). */
export function parseConfirm(body: Buffer, hashLen: number): ParseResult<SaeConfirm> {
  if (body.length < 2 + hashLen) return fail(SaeStatus.UNSPECIFIED_FAILURE, 'confirm too short');
  return { ok: true, value: { sendConfirm: body.readUInt16LE(0), confirm: body.subarray(2, 2 + hashLen) } };
}
