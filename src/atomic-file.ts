/**
 * Replacing a file so that, whatever happens (a crash, SIGKILL, a power
 * loss after the call returned), the path holds either the complete old
 * text or the complete new one, never a mix, an empty file or nothing.
 *
 * How: the new text goes to a temporary file of its own in the same
 * directory (created exclusively, mode 0600, fsync'ed), which is renamed
 * over the path; then the directory is fsync'ed so the rename itself is
 * durable. Replacements of one path are serialized within the process, so
 * two concurrent saves never race on the rename. A crash can leave a
 * temporary file behind: removeStaleTemporaries() deletes them at start.
 *
 * wpa_supplicant.conf (SAVE_CONFIG) and the PMKSA persistence file share it.
 */
import { readdirSync, unlinkSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Per path: the end of the last queued replacement. */
const queues = new Map<string, Promise<void>>();
/** Temporary files being written right now (never removed as stale). */
const inFlight = new Set<string>();
let counter = 0;

/** `.<name>.<pid>.<n>.tmp`: hidden, beside the target, unique within and across processes. */
function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${++counter}.tmp`);
}

function isTempOf(path: string, entry: string): boolean {
  const prefix = `.${basename(path)}.`;
  // `<pid>.tmp` is what earlier versions of this daemon used.
  return entry.startsWith(prefix) && /^\d+(\.\d+)?\.tmp$/.test(entry.slice(prefix.length));
}

async function replace(path: string, data: Buffer | string): Promise<void> {
  const dir = dirname(path);
  const tmp = tempName(path);
  inFlight.add(tmp);
  try {
    // 'wx': a temporary file never shares its inode with another writer.
    const fh = await open(tmp, 'wx', 0o600);
    try {
      // The mode argument is filtered by the umask.
      await fh.chmod(0o600);
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  } finally {
    inFlight.delete(tmp);
  }
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/**
 * Replaces `path` with `data` atomically and durably, mode 0600. Calls for
 * the same path run one after the other, in call order; each resolves when
 * its own text is on disk.
 */
export function writeFileAtomic(path: string, data: Buffer | string): Promise<void> {
  const prev = queues.get(path) ?? Promise.resolve();
  const mine = prev.catch(() => undefined).then(() => replace(path, data));
  const tail = mine.catch(() => undefined);
  queues.set(path, tail);
  // Forget an idle path so the map does not grow with every file ever saved.
  void tail.then(() => {
    if (queues.get(path) === tail) queues.delete(path);
  });
  return mine;
}

/**
 * Deletes the temporary files a crashed writer of `path` left beside it
 * (this process's own replacements under way are kept). Returns how many.
 * Synchronous: the daemon calls it before it reads its configuration, at
 * start-up before the control socket exists (see readConfigFile()).
 */
export function removeStaleTemporaries(path: string): number {
  const dir = dirname(path);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const e of entries) {
    const full = join(dir, e);
    if (!isTempOf(path, e) || inFlight.has(full)) continue;
    try {
      unlinkSync(full);
      removed++;
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}
