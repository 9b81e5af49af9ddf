/**
 * `npm run bench`: every benchmark of the project, one after the other, in
 * one process run. Each prints its own numbers; the goals end up in one
 * summary table (summary.ts) with the ratio against each yardstick. None asserts.
 * `npm run bench -- rsn station` runs only those.
 */
import { benchCtrl } from './ctrl.js';
import { benchRadio } from './radio.js';
import { benchRsn } from './rsn.js';
import { benchSae } from './sae.js';
import { benchSoak } from './soak.js';
import { benchStartup } from './startup.js';
import { benchStation } from './station.js';
import { printSummary } from './summary.js';

const ALL: Record<string, () => Promise<void>> = { startup: benchStartup, rsn: benchRsn, sae: benchSae, ctrl: benchCtrl, station: benchStation, soak: benchSoak, radio: benchRadio };

const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : Object.keys(ALL)) {
  const run = ALL[name];
  if (!run) {
    console.error(`unknown benchmark '${name}' (have: ${Object.keys(ALL).join(', ')})`);
    process.exit(2);
  }
  await run();
}
printSummary();
