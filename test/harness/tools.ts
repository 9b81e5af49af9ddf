/**
 * External tools the integration tests depend on.
 *
 * Locally a missing tool skips the tests that need it, with a message that
 * says so; under CI=true the same absence is a failure, because a CI run that
 * silently skipped the reference comparison would prove nothing.
 */
import { accessSync, constants } from 'node:fs';

export const WPA_SUPPLICANT = '/usr/sbin/wpa_supplicant';
export const WPA_CLI = '/usr/sbin/wpa_cli';
export const IP = '/usr/sbin/ip';

export class MissingToolError extends Error {
  constructor(readonly tool: string) {
    super(`required tool ${tool} is missing (install it: apt-get install -y wpasupplicant iproute2)`);
    this.name = 'MissingToolError';
  }
}

export function isCi(): boolean {
  return process.env.CI === 'true';
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * True when `path` is executable. Otherwise: throws under CI=true (the test
 * file fails), or prints a visible skip notice and returns false so the caller
 * can `describe.skipIf(!requireTool(...))`.
 */
export function requireTool(path: string): boolean {
  if (executable(path)) return true;
  if (isCi()) throw new MissingToolError(path);
  console.warn(`\n*** SKIPPING: ${path} is missing (under CI=true this is a failure) ***\n`);
  return false;
}

/** requireTool for several tools at once (every missing one is reported). */
export function requireTools(...paths: string[]): boolean {
  return paths.map((p) => requireTool(p)).every(Boolean);
}

/** Veth pairs and the reference daemon need root; same CI rule as a missing tool. */
export function requireRoot(): boolean {
  if (process.getuid?.() === 0) return true;
  if (isCi()) throw new Error('integration tests must run as root (veth pairs, wpa_supplicant)');
  console.warn('\n*** SKIPPING: not root; veth/wpa_supplicant tests need root (a failure under CI=true) ***\n');
  return false;
}

export class MissingPrerequisiteError extends Error {
  constructor(readonly what: string) {
    super(what);
    this.name = 'MissingPrerequisiteError';
  }
}

/**
 * The same rule for a prerequisite that is more than one executable (the
 * radio VM's prepared kernel, ...): `missing` says what is absent and how to
 * get it, or is undefined when everything is there.
 */
export function requirePrepared(missing: string | undefined): boolean {
  if (missing === undefined) return true;
  if (isCi()) throw new MissingPrerequisiteError(missing);
  console.warn(`\n*** SKIPPING: ${missing} (under CI=true this is a failure) ***\n`);
  return false;
}
