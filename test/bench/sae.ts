/**
 * Host CPU cost of SAE, per group and PWE method: the station's commit
 * computation (PWE, then rand/mask, scalar and element), its confirm
 * (peer commit checks, K, KCK/PMK, confirm value), hash-to-element's PT
 * (once per network and group), and a complete in-process exchange with the
 * authenticator (both sides' work), cold and with the PWE cached as for a
 * repeat with the same AP. Printed only; nothing is asserted.
 */
import { SaeApPeer } from '../../src/rsn/sae/authenticator.js';
import { decodeSaeAuth, parseCommit } from '../../src/rsn/sae/frames.js';
import { saeGroup } from '../../src/rsn/sae/group.js';
import { clearPweCache, derivePt, huntAndPeck, pweFromPt } from '../../src/rsn/sae/pwe.js';
import { SaeSession, type SaeAction } from '../../src/rsn/sae/session.js';
import { SaeStation } from '../../src/rsn/sae/station.js';

function measure(name: string, iterations: number, fn: () => void): number {
  for (let i = 0; i < Math.min(3, iterations); i++) fn(); // warm-up: JIT
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / iterations;
  console.log(`sae: ${name.padEnd(52)} ${ms.toFixed(2).padStart(9)} ms/op  (${iterations} ops)`);
  return ms;
}

const sendOf = (actions: SaeAction[]) => actions.filter((a): a is Extract<SaeAction, { kind: 'send' }> => a.kind === 'send').map((a) => a.frame);

export async function benchSae(): Promise<void> {
  const sta = Buffer.from('020000000001', 'hex');
  const ap = Buffer.from('02000000000a', 'hex');
  const ssid = Buffer.from('bench-ssid');
  const password = Buffer.from('correct horse battery staple');
  for (const id of [19, 20, 21]) {
    const g = saeGroup(id)!;
    const n = id === 21 ? 10 : 20;
    for (const h2e of [false, true]) {
      const method = h2e ? 'H2E' : 'H&P';
      const pt = derivePt(g, ssid, password);
      if (h2e) measure(`group ${id} H2E PT (once per network)`, n, () => derivePt(g, ssid, password));
      const pwe = () => (h2e ? pweFromPt(g, pt, sta, ap) : huntAndPeck(g, password, sta, ap));
      measure(`group ${id} ${method} commit (PWE + scalar/element)`, n, () => new SaeSession(g, pwe(), h2e, 8));
      // The AP's commit to a station commit, then the station's confirm computation on it.
      const peer = new SaeApPeer({ bssid: ap, staAddr: sta, ssid, passwords: [{ password: password.toString() }], saeGroups: [id], saePwe: h2e ? 1 : 0 });
      const staSession = new SaeSession(g, pwe(), h2e, 8);
      const apCommit = decodeSaeAuth(sendOf(peer.receive(staSession.commitFrame()))[0])!;
      const parsed = parseCommit(apCommit.body, h2e);
      if (!parsed.ok) throw new Error('benchmark commit did not parse');
      measure(`group ${id} ${method} confirm (checks, K, KCK/PMK, confirm)`, n, () => {
        const s = new SaeSession(g, staSession.pwe, h2e, 8);
        if (!s.acceptPeerCommit(parsed.value).ok) throw new Error('benchmark commit refused');
        s.confirmFrame();
      });
      // Both parties share the process's PWE cache: cleared before each one's derivation for the cold cost, kept for a repeat with the same AP.
      const exchange = (cold: boolean) => () => {
        if (cold) clearPweCache();
        const station = new SaeStation({ ownAddr: sta, bssid: ap, ssid, saePassword: password.toString(), apH2e: true, saeGroups: [id], saePwe: h2e ? 1 : 0 });
        const apPeer = new SaeApPeer({ bssid: ap, staAddr: sta, ssid, passwords: [{ password: password.toString() }], saeGroups: [id], saePwe: h2e ? 1 : 0 });
        const [commit] = sendOf(station.start());
        if (cold) clearPweCache();
        const [c2, f2] = sendOf(apPeer.receive(commit));
        const [f1] = sendOf(station.receive(c2));
        const staDone = station.receive(f2);
        const apDone = apPeer.receive(f1);
        if (!staDone.some((a) => a.kind === 'accepted') || !apDone.some((a) => a.kind === 'accepted')) throw new Error('benchmark exchange did not complete');
      };
      measure(`group ${id} ${method} full exchange, station + AP`, Math.max(3, n / 2), exchange(true));
      measure(`group ${id} ${method} full exchange, PWE cached (same AP)`, Math.max(3, n / 2), exchange(false));
    }
  }
}
