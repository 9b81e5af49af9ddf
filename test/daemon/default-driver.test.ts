/**
 * The driver an interface gets when none is named: nl80211 for a wireless
 * netdev (as wpa_supplicant 2.10's default), `none` for any other name; and
 * INTERFACE_ADD with the driver field `nl80211` (or a list, `nl80211,wext`).
 *
 * The real daemon runs in a mount namespace whose /sys/class/net is a tmpfs
 * holding the netdevs the test needs: wlanfake with phy80211 (what cfg80211
 * gives a wireless netdev), wlanfake2 with only wireless (wireless
 * extensions), lo as a plain netdev. The kernel radio test
 * (test/radio/nl80211-links.test.ts) shows the same on a real wlan1.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requireRoot, requireTool } from '../harness/tools.js';
import { CtrlClient, Daemon, MAIN, requireBuild, tempDir, writeConf } from './harness.js';

const UNSHARE = '/usr/bin/unshare';
const cleanups: (() => void | Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The daemon with its own /sys/class/net: wlanfake (phy80211), wlanfake2 (wireless), wlanfake3 (phy80211), lo. */
async function runWithFakeNetdevs(args: string[]): Promise<Daemon> {
  requireBuild();
  const sysfs = [
    'mount -t tmpfs wo-test /sys/class/net',
    'mkdir -p /sys/class/net/wlanfake/phy80211 /sys/class/net/wlanfake2/wireless /sys/class/net/wlanfake3/phy80211 /sys/class/net/lo',
    'exec "$@"',
  ].join(' && ');
  const proc = spawn(UNSHARE, ['-m', '--propagation', 'private', 'sh', '-c', sysfs, 'sh', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const d = new Daemon(proc);
  cleanups.push(() => d.stop());
  await d.ready();
  return d;
}

async function waitOutput(d: Daemon, text: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!d.output.includes(text)) {
    if (Date.now() > deadline) throw new Error(`no '${text}' in the daemon's output: ${d.output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!requireRoot() || !requireTool(UNSHARE))('the default driver', () => {
  it('-i of a wireless netdev without -D gets nl80211; another name keeps none', async () => {
    const dir = tempDir('defdrv');
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const conf = path.join(dir, 'w.conf');
    writeConf(conf, `ctrl_interface=${dir}/run\n`);
    const d = await runWithFakeNetdevs(['-i', 'wlanfake', '-c', conf, '-N', '-i', 'lo', '-c', conf]);
    // The nl80211 backend looks for wlanfake in the kernel's GET_INTERFACE dump (it is not there: a fake netdev).
    await waitOutput(d, 'nl80211: cannot use wlanfake');
    await waitOutput(d, 'lo: driver none up');
    expect(d.output).toContain('wlanfake: no driver named: a wireless netdev, driver nl80211');
    expect(d.output).not.toContain('wlanfake: driver none up');
  });

  it('INTERFACE_ADD: nl80211 (or a list starting with it) on a wireless netdev; FAIL on a non-wireless or missing one; an empty field defaults by the netdev', async () => {
    const dir = tempDir('defdrv');
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const d = await runWithFakeNetdevs(['-g', `${dir}/global`]);
    const g = new CtrlClient(`${dir}/global`, path.join(dir, 'g'));
    cleanups.push(() => g.close());
    expect(await g.req('ATTACH')).toBe('OK\n');
    expect(await g.req(`INTERFACE_ADD wlanfake\t\tnl80211\t${dir}/run\t\t`)).toBe('OK\n');
    await waitOutput(d, 'nl80211: cannot use wlanfake');
    expect(await g.req(`INTERFACE_ADD wlanfake2\t\tnl80211,wext\t${dir}/run\t\t`)).toBe('OK\n');
    await waitOutput(d, 'nl80211: cannot use wlanfake2');
    expect(await g.req(`INTERFACE_ADD wlanfake3\t\t\t${dir}/run\t\t`)).toBe('OK\n');
    await waitOutput(d, 'nl80211: cannot use wlanfake3');
    // 2.10's nl80211 driver does not initialize on a netdev without a wiphy, nor on a missing one.
    expect(await g.req(`INTERFACE_ADD lo\t\tnl80211\t${dir}/run\t\t`)).toBe('FAIL\n');
    expect(g.events).toContain('IFNAME=lo <5>Failed to initialize driver interface');
    expect(await g.req(`INTERFACE_ADD wlanmissing\t\tnl80211\t${dir}/run\t\t`)).toBe('FAIL\n');
    expect(await g.req(`INTERFACE_ADD wlanfake4\t\twext,nosuch\t${dir}/run\t\t`)).toBe('FAIL\n');
    expect(g.events).toContain("IFNAME=wlanfake4 <5>Unsupported driver 'wext,nosuch'");
    expect(await g.req(`INTERFACE_ADD lo\t\t\t${dir}/run\t\t`)).toBe('OK\n');
    await waitOutput(d, 'lo: driver none up');
    expect(await g.req('INTERFACES')).toBe('lo\nwlanfake3\nwlanfake2\nwlanfake\n');
  });
});
