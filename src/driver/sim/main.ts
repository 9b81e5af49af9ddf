#!/usr/bin/env node
/**
 * wpa-offload-sim: the simulator as its own process, serving the driver
 * protocol on a Unix stream socket, so `wpa-offloadd -D ext -p socket=PATH`
 * attaches to it exactly as to a vendor driver shim.
 *
 *   wpa-offload-sim --socket PATH --scenario FILE [--seed N] [-d]
 */
import { configureLogging, MsgLevel } from '../../log.js';
import * as log from '../../log.js';
import { DriverServer } from '../serve.js';
import { loadScenario, ScenarioError } from './scenario.js';
import { SimDriver } from './sim-driver.js';

class UsageError extends Error {}

const USAGE = 'usage: wpa-offload-sim --socket PATH --scenario FILE [--seed N] [-d]';

function parseArgs(argv: string[]): { socket: string; scenario: string; seed?: number; debug: boolean } {
  let socket: string | undefined;
  let scenario: string | undefined;
  let seed: number | undefined;
  let debug = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--socket') socket = value();
    else if (a === '--scenario') scenario = value();
    else if (a === '--seed') {
      const v = value();
      if (!/^\d+$/.test(v)) throw new UsageError('--seed needs a non-negative integer');
      seed = Number(v);
    } else if (a === '-d') debug = true;
    else if (a === '-h' || a === '--help') throw new UsageError('');
    else throw new UsageError(`unknown argument ${a}`);
  }
  if (!socket || !scenario) throw new UsageError('--socket and --scenario are required');
  return { socket, scenario, seed, debug };
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`wpa-offload-sim: ${e.message}\n`);
      process.stderr.write(USAGE + '\n');
      process.exit(e.message ? 2 : 0);
    }
    throw e;
  }
  configureLogging({ level: args.debug ? MsgLevel.DEBUG : MsgLevel.INFO, timestamps: false, showKeys: false });
  let driver: SimDriver;
  try {
    driver = new SimDriver(loadScenario(args.scenario), { seed: args.seed });
  } catch (e) {
    if (e instanceof ScenarioError) {
      process.stderr.write(`wpa-offload-sim: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  driver.start();
  const server = new DriverServer(driver, args.socket);
  await server.listen();
  log.info(`wpa-offload-sim: serving ${driver.sim.aps.length} AP(s) on ${args.socket}`);
  const stop = (): void => {
    void Promise.all([server.close(), driver.close()]).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`wpa-offload-sim: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
