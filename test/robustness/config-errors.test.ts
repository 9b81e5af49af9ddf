/**
 * A configuration that does not load: the daemon's error output against the
 * real wpa_supplicant 2.10's for the same file. Both must exit with 255 and
 * list the same errors, every bad line with its reason, then the verdict.
 * The one deliberate difference: 2.10 quotes values and whole lines
 * (passphrases included); ours never does, so quoted text is removed from
 * both outputs before comparing.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestEnv, WPA_SUPPLICANT, daemonEntry, isCi, requireRoot, requireTool } from '../harness/index.js';

const env = new TestEnv();
afterAll(() => env.cleanup());

const available = requireTool(WPA_SUPPLICANT) && requireRoot();

const FILES: Record<string, string | undefined> = {
  'passphrase too short': 'network={\n\tssid="x"\n\tpsk="short12"\n}\n',
  'bad key_mgmt': 'network={\n\tssid="x"\n\tkey_mgmt=WPA-PSK BOGUS\n\tpsk="12345678"\n}\n',
  'unknown network field': 'network={\n\tssid="x"\n\tno_such_field=1\n}\n',
  'bad quotation': 'network={\n\tssid="x\n\tkey_mgmt=NONE\n}\n',
  'unknown global': 'no_such_global=1\n',
  'unterminated block': 'network={\n\tssid="x"\n\tkey_mgmt=NONE\n',
  'bad numbers (global and network, not a number and out of range)':
    'ap_scan=x\ndot11RSNAConfigPMKLifetime=abc\nfilter_rssi=5\nnetwork={\n\tssid="a"\n\tpsk="12345678"\n\tscan_ssid=7\n\tpriority=x\n}\n',
  'several bad lines at once': [
    'network={', '\tssid="x"', '\tpsk="short12"', '\tkey_mgmt=WPA-PSK BOGUS', '\tnofield=1', '\tid_str="abc', '}',
    'nope=1', 'network={', 'ssid="y"', 'key_mgmt', '}', 'network={', 'ssid="z"', 'key_mgmt=NONE', '}', '',
  ].join('\n'),
  'missing file': undefined,
};

/** The error lines (what follows "Successfully initialized" in 2.10), quoted text removed. */
function errorLines(out: string): string[] {
  return out
    .split('\n')
    .filter((l) => /^(Line \d+:|Failed to)/.test(l))
    .map((l) => l.replace(/ ?'[^']*'/g, '').replace(/ ?"[^"]*"/g, ''));
}

describe.skipIf(!available && !isCi())('configuration errors vs wpa_supplicant 2.10', () => {
  it('has the reference (a missing tool fails under CI)', () => {
    expect(available).toBe(true);
  });

  it.each(Object.entries(FILES))('%s: the same errors, every bad line with its reason', (name, body) => {
    const conf = join(env.dir, `${name.replace(/\W+/g, '-')}.conf`);
    if (body !== undefined) writeFileSync(conf, `ctrl_interface=${env.path('ctrl')}\n${body}`, { mode: 0o600 });
    // The configuration is read before the driver is touched: lo is never changed.
    const ref = spawnSync(WPA_SUPPLICANT, ['-Dwired', '-i', 'lo', '-c', conf], { encoding: 'latin1', timeout: 10_000 });
    const ours = spawnSync(daemonEntry(), ['-i', 'lo', '-c', conf], { encoding: 'latin1', timeout: 10_000 });
    expect(ref.status).toBe(255);
    expect(ours.status).toBe(255);
    const want = errorLines(ref.stdout + ref.stderr);
    expect(want.length).toBeGreaterThan(1);
    expect(errorLines(ours.stdout + ours.stderr)).toEqual(want);
  });

  it('never shows the passphrase', () => {
    const conf = join(env.dir, 'secret.conf');
    writeFileSync(conf, 'network={\n\tssid="x"\n\tpsk="s3cret!"\n}\n', { mode: 0o600 });
    const ours = spawnSync(daemonEntry(), ['-i', 'lo', '-c', conf], { encoding: 'latin1', timeout: 10_000 });
    expect(ours.stdout + ours.stderr).toContain('Line 3: Invalid passphrase length 7 (expected: 8..63).');
    expect(ours.stdout + ours.stderr).not.toContain('s3cret');
  });
});
