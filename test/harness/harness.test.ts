/**
 * The harness itself: the CI rule of requireTool, cleanup that runs every
 * step, veth pairs that come and go, and start-up failures that say why.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Cleanup,
  DaemonStartError,
  IP,
  MissingToolError,
  TestEnv,
  WPA_SUPPLICANT,
  ctrlConf,
  requireRoot,
  requireTool,
  requireTools,
} from './index.js';

describe('requireTool', () => {
  const saved = process.env.CI;
  afterEach(() => {
    if (saved === undefined) delete process.env.CI;
    else process.env.CI = saved;
  });

  it('present tool: true', () => {
    expect(requireTool('/bin/sh')).toBe(true);
  });

  it('missing tool under CI=true: throws, so the test file fails', () => {
    process.env.CI = 'true';
    expect(() => requireTool('/nonexistent/tool')).toThrow(MissingToolError);
  });

  it('missing tool outside CI: false (the caller skips, with a printed notice)', () => {
    delete process.env.CI;
    expect(requireTool('/nonexistent/tool')).toBe(false);
  });
});

describe('Cleanup', () => {
  it('runs every step in reverse order even when one fails, then reports the failure', async () => {
    const c = new Cleanup();
    const order: number[] = [];
    c.add(() => void order.push(1));
    c.add(() => {
      throw new Error('step 2 broke');
    });
    c.add(async () => void order.push(3));
    await expect(c.run()).rejects.toThrow(AggregateError);
    expect(order).toEqual([3, 1]);
  });

  it('tempDir is removed', async () => {
    const c = new Cleanup();
    const d = c.tempDir();
    expect(existsSync(d)).toBe(true);
    await c.run();
    expect(existsSync(d)).toBe(false);
  });
});

const linkExists = (name: string): boolean => {
  try {
    execFileSync(IP, ['link', 'show', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(!(requireTools(WPA_SUPPLICANT, IP) && requireRoot()))('TestEnv with real processes', () => {
  it('veth pair exists while in use and is gone after cleanup', async () => {
    const env = new TestEnv();
    const v = env.veth();
    expect(v.name.length).toBeLessThanOrEqual(15);
    expect(linkExists(v.name) && linkExists(v.peer)).toBe(true);
    await env.cleanup();
    expect(linkExists(v.name) || linkExists(v.peer)).toBe(false);
  });

  it('reference starts, answers, and is stopped by cleanup', async () => {
    const env = new TestEnv();
    const v = env.veth();
    const ctrlDir = env.path('ctl');
    const ref = await env.startReference({ ifname: v.name, conf: env.writeConf('w.conf', ctrlConf(ctrlDir)), ctrlDir });
    const c = await env.client(ref.ctrlPath);
    expect((await c.request('PING')).toString()).toBe('PONG\n');
    await env.cleanup();
    expect(ref.proc.exitStatus).toBeDefined();
    expect(existsSync(ref.ctrlPath)).toBe(false);
  });

  it('a daemon that exits at start fails with its output in the message', async () => {
    const env = new TestEnv();
    try {
      const ctrlDir = env.path('ctl');
      const conf = env.writeConf('bad.conf', ctrlConf(ctrlDir, 'network={\n\tbogus_field=1\n}\n'));
      const err = await env.startReference({ ifname: 'wonone0', conf, ctrlDir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DaemonStartError);
      expect((err as Error).message).toMatch(/exited .* before/);
      expect((err as Error).message).toContain('bogus_field');
    } finally {
      await env.cleanup();
    }
  });
});
