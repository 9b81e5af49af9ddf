/**
 * The socket directory and file permissions of wpa_supplicant's
 * ctrl_iface_unix.c: `ctrl_interface=DIR` or `DIR=... GROUP=...`, directory
 * made with mkdir(0770) under the umask, a GROUP forcing chgrp + chmod 0750
 * on the directory, interface sockets 0770, the global socket 0700 (0770 with
 * a group).
 */
import fs from 'node:fs';

/** sizeof(struct sockaddr_un.sun_path). */
const SUN_PATH_SIZE = 108;

export class CtrlIfaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CtrlIfaceError';
  }
}

export interface CtrlLocation {
  dir: string;
  /** Group name or numeric gid string, when one was given. */
  group: string | undefined;
}

/**
 * Splits a ctrl_interface value the way wpa_supplicant does: `DIR=<dir>
 * GROUP=<group>` (only " GROUP=" ends the directory), otherwise the whole
 * value is the directory and ctrl_interface_group supplies the group.
 */
export function parseCtrlInterface(value: string, ctrlInterfaceGroup: string | undefined): CtrlLocation {
  if (value.startsWith('DIR=')) {
    const rest = value.slice(4);
    const g = rest.indexOf(' GROUP=');
    return g < 0 ? { dir: rest, group: undefined } : { dir: rest.slice(0, g), group: rest.slice(g + 7) };
  }
  return { dir: value, group: ctrlInterfaceGroup };
}

/** getgrnam() then strtol(): a group name from /etc/group, or a decimal gid. */
export function resolveGroup(group: string): number {
  let lines: string[] = [];
  try {
    lines = fs.readFileSync('/etc/group', 'utf8').split('\n');
  } catch {
    // No group database: only numeric gids can work, as with getgrnam() failing.
  }
  for (const line of lines) {
    const f = line.split(':');
    if (f.length >= 3 && f[0] === group) return Number(f[2]);
  }
  if (!/^\d+$/.test(group)) throw new CtrlIfaceError(`CTRL: Invalid group '${group}'`);
  return Number(group);
}

/** Creates (or adopts) the interface socket directory and returns the gid to give the socket. */
export function prepareCtrlDir(loc: CtrlLocation): number | undefined {
  try {
    fs.mkdirSync(loc.dir, 0o770);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new CtrlIfaceError(`mkdir[ctrl_interface=${loc.dir}]: ${(e as Error).message}`);
    }
  }
  if (loc.group === undefined) return undefined;
  const gid = resolveGroup(loc.group);
  try {
    fs.lchownSync(loc.dir, -1, gid);
    // The group must be able to enter and read the directory; nobody else.
    fs.chmodSync(loc.dir, 0o750);
  } catch (e) {
    throw new CtrlIfaceError(`lchown/chmod[ctrl_interface=${loc.dir},gid=${gid}]: ${(e as Error).message}`);
  }
  return gid;
}

export function socketPathFor(dir: string, ifname: string): string {
  // strlen(dir) + 1 + strlen(ifname) must leave room for sun_path's NUL.
  const p = `${dir}/${ifname}`;
  if (Buffer.byteLength(p) >= SUN_PATH_SIZE) throw new CtrlIfaceError('ctrl_iface path limit exceeded');
  return p;
}

export function setSocketMode(file: string, mode: number, gid: number | undefined): void {
  if (gid !== undefined) fs.lchownSync(file, -1, gid);
  fs.chmodSync(file, mode);
}

/** At exit: the directory goes when it is empty, as wpa_supplicant's deinit does. */
export function removeCtrlDirIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // ENOTEMPTY: other interfaces' sockets are still there; leave it.
  }
}
