/**
 * SAVE_CONFIG under concurrency and crashes: two clients change a network
 * and save in a loop while the daemon is SIGKILLed at a random moment, many
 * times over. After every kill the file must hold exactly one of the texts
 * that were saved (never empty, never a mix), after every restart no
 * temporary file may be left beside it, and no save may answer FAIL.
 *
 * Bounded: at most KILLS kills or BUDGET_MS of killing, whichever comes
 * first (measured, not asserted).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WpaCtrl } from '../../src/client/wpa-ctrl.js';
import { TestEnv, uniqueIfname } from '../harness/index.js';

const KILLS = 200;
const BUDGET_MS = 35_000;

const env = new TestEnv();
afterAll(() => env.cleanup());

/** Canonical SAVE_CONFIG text for the two SSIDs, as the writer lays it out. */
function render(ctrlDir: string, a: string, b: string): string {
  const block = (ssid: string): string => `\nnetwork={\n\tssid="${ssid}"\n\tkey_mgmt=NONE\n\tmesh_fwding=1\n}\n`;
  return `ctrl_interface=${ctrlDir}\nupdate_config=1\n${block(a)}${block(b)}`;
}

const TEXT = /^ctrl_interface=[^\n]*\nupdate_config=1\n\nnetwork=\{\n\tssid="(c0-\d+)"\n\tkey_mgmt=NONE\n\tmesh_fwding=1\n\}\n\nnetwork=\{\n\tssid="(c1-\d+)"\n\tkey_mgmt=NONE\n\tmesh_fwding=1\n\}\n$/;

describe('SAVE_CONFIG: concurrent saves and SIGKILL', () => {
  it('leaves the complete old or new text, no temporaries, and never answers FAIL', async () => {
    const ctrlDir = env.path('ctrl');
    const ifname = uniqueIfname();
    const conf = env.writeConf('kill.conf', render(ctrlDir, 'c0-0', 'c1-0'));
    const confDir = dirname(conf);
    const saved: [Set<string>, Set<string>] = [new Set(['c0-0']), new Set(['c1-0'])];
    let serial = 0;
    let kills = 0;
    let okSaves = 0;
    const failures: string[] = [];
    const started = Date.now();

    while (kills < KILLS && Date.now() - started < BUDGET_MS) {
      const d = await env.startDaemon({ ifname, conf, ctrlDir });
      // The previous run was killed mid-save: its temporaries are gone now.
      const leftovers = readdirSync(confDir).filter((f) => f.startsWith('.kill.conf.'));
      expect(leftovers, `after restart ${kills}`).toEqual([]);

      const clients: WpaCtrl[] = [await env.client(d.ctrlPath), await env.client(d.ctrlPath)];
      let running = true;
      const loop = async (i: 0 | 1): Promise<void> => {
        const c = clients[i];
        while (running) {
          const ssid = `c${i}-${++serial}`;
          try {
            // Recorded before the request: the daemon may save it even if killed before answering.
            saved[i].add(ssid);
            const set = (await c.request(`SET_NETWORK ${i} ssid "${ssid}"`, 5000)).toString();
            if (set !== 'OK\n') failures.push(`SET_NETWORK ${i} answered ${JSON.stringify(set)}`);
            const r = (await c.request('SAVE_CONFIG', 5000)).toString();
            if (r === 'OK\n') okSaves++;
            else failures.push(`SAVE_CONFIG answered ${JSON.stringify(r)}`);
          } catch {
            return; // the daemon was killed, or the client closed
          }
        }
      };
      const loops = [loop(0), loop(1)];
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 40));
      d.proc.kill('SIGKILL');
      await d.proc.exited;
      running = false;
      for (const c of clients) c.close();
      await Promise.all(loops);
      kills++;

      const text = readFileSync(conf, 'latin1');
      const m = TEXT.exec(text);
      expect(m, `after kill ${kills} the file is ${JSON.stringify(text)}`).not.toBeNull();
      expect(saved[0].has(m![1]) && saved[1].has(m![2]), `after kill ${kills}: ${m![1]} ${m![2]}`).toBe(true);
      expect(text).toBe(render(ctrlDir, m![1], m![2]));
      expect(statSync(conf).mode & 0o777).toBe(0o600);
      expect(failures, `after kill ${kills}`).toEqual([]);
    }

    // A final start cleans up after the last kill too.
    await env.startDaemon({ ifname, conf, ctrlDir });
    expect(readdirSync(confDir).filter((f) => f.startsWith('.kill.conf.'))).toEqual([]);
    // The loop did run: kills happened while saves were being answered.
    expect(kills).toBeGreaterThan(10);
    expect(okSaves).toBeGreaterThan(kills);
  }, 120_000);
});
