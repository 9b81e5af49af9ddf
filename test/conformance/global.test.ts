/**
 * The global control interface (-g): its own commands, IFNAME= routing,
 * INTERFACE_ADD / INTERFACE_REMOVE syntax errors, global monitors, and
 * TERMINATE (last: it ends both daemons).
 */
import { existsSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { exitedWithin } from '../harness/index.js';
import { MonitorPair, Pair, type Side } from './pair.js';
import { referenceAvailable, usePair } from './setup.js';

describe.skipIf(!referenceAvailable())('global control interface vs wpa_supplicant 2.10', () => {
  const { pair } = usePair({ global: true });
  const g = 'global' as const;

  // Each case starts with the pair's one interface: an interface a failed case
  // added by mistake must not turn the next cases red too.
  beforeEach(async () => {
    for (const side of [pair().ref, pair().dut]) {
      const names = (await Pair.ask(side.global!, 'INTERFACES')).toString('latin1').split('\n').filter(Boolean);
      for (const n of names) if (n !== pair().ifname) await Pair.ask(side.global!, `INTERFACE_REMOVE ${n}`);
    }
  });

  it('PING, STATUS, INTERFACES on the global socket', async () => {
    await pair().sameAll(['PING', 'STATUS', 'INTERFACES', 'INTERFACES ctrl', 'INTERFACESX'], g);
  });

  it('IFNAME= routing to the interface', async () => {
    const ifn = pair().ifname;
    await pair().sameAll(
      [
        `IFNAME=${ifn} PING`,
        `IFNAME=${ifn} IFNAME`,
        `IFNAME=${ifn} STATUS`,
        `IFNAME=${ifn} ADD_NETWORK`,
        `IFNAME=${ifn} SET_NETWORK 0 ssid "routed"`,
        `IFNAME=${ifn} GET_NETWORK 0 ssid`,
        `IFNAME=${ifn} LIST_NETWORKS`,
        `IFNAME=${ifn} BOGUS`,
        `IFNAME=${ifn} ping`,
      ],
      g,
    );
    await pair().same('LIST_NETWORKS'); // the routed commands acted on the interface
  });

  it('IFNAME= errors: unknown or empty name, no command, extra space, ATTACH/DETACH', async () => {
    const ifn = pair().ifname;
    await pair().sameAll(
      [
        'IFNAME=bogus0 PING',
        'IFNAME= PING',
        `IFNAME=${ifn}`,
        `IFNAME=${ifn} `,
        `IFNAME=${ifn}  PING`,
        `IFNAME=${ifn} ATTACH`,
        `IFNAME=${ifn} DETACH`,
        `IFNAME=${ifn.toUpperCase()} PING`,
        `ifname=${ifn} PING`,
      ],
      g,
    );
  });

  it('per-interface commands without IFNAME= are unknown on the global socket', async () => {
    await pair().sameAll(['ADD_NETWORK', 'LIST_NETWORKS', 'IFNAME', 'STATUS-VERBOSE', 'GET_NETWORK 0 ssid', 'ping'], g);
  });

  it('the interface socket does not understand IFNAME=', async () => {
    await pair().sameAll([`IFNAME=${pair().ifname} PING`, 'INTERFACES']);
  });

  it('INTERFACE_ADD syntax errors and impossible adds', async () => {
    const ifn = pair().ifname;
    await pair().sameAll(
      [
        'INTERFACE_ADD',
        'INTERFACE_ADD ',
        'INTERFACE_ADD nosuchif0',
        'INTERFACE_ADD nosuchif0\t\t\t\t\t',
        'INTERFACE_ADD nosuchif0\t\tbogusdriver\t\t\t',
        'INTERFACE_ADD nosuchif0\t\t\t\t\t\t\tsta\textra',
        'INTERFACE_ADD nosuchif0\t\t\t\t\t\tcreate\tbogus',
        `INTERFACE_ADD ${ifn}\t\t\t\t\t`,
        'INTERFACES',
      ],
      g,
    );
  });

  it('INTERFACE_ADD / INTERFACE_REMOVE of a real interface (driver field: wired for the reference, default for wpa-offloadd)', async () => {
    const p = pair();
    const peer = p.veth.peer;
    const m = await MonitorPair.open(p, 'global');
    // The reference needs its wired driver named; the driver is the only field that differs.
    const add = (s: Side): string => `INTERFACE_ADD ${peer}\t\t${s === p.ref ? 'wired' : ''}\t${s.ctx.ctrlDir}\t\t`;
    await p.sameEach(add, g);
    await p.sameAll(['INTERFACES', `IFNAME=${peer} PING`, `IFNAME=${peer} IFNAME`, `IFNAME=${peer} LIST_NETWORKS`], g);
    for (const s of [p.ref, p.dut]) expect(existsSync(`${s.ctx.ctrlDir}/${peer}`), `${s.label}: socket of the added interface`).toBe(true);
    await p.sameEach(add, g); // a second add of the same name
    await p.sameAll([`INTERFACE_REMOVE ${peer}`, 'INTERFACES', `IFNAME=${peer} PING`, `INTERFACE_REMOVE ${peer}`], g);
    for (const s of [p.ref, p.dut]) expect(existsSync(`${s.ctx.ctrlDir}/${peer}`), `${s.label}: socket removed`).toBe(false);
    await m.expectSameEvents('INTERFACE_ADD / INTERFACE_REMOVE');
    await p.same('DETACH', g);
  });

  it('INTERFACE_REMOVE of unknown names', async () => {
    await pair().sameAll(['INTERFACE_REMOVE', 'INTERFACE_REMOVE ', 'INTERFACE_REMOVE nosuchif9'], g);
  });

  it('DUP_NETWORK between networks of the interface', async () => {
    const ifn = pair().ifname;
    await pair().sameAll(
      [
        `IFNAME=${ifn} ADD_NETWORK`,
        `IFNAME=${ifn} ADD_NETWORK`,
        `IFNAME=${ifn} SET_NETWORK 0 ssid "src"`,
        `IFNAME=${ifn} SET_NETWORK 0 priority 4`,
        `DUP_NETWORK ${ifn} ${ifn} 0 1 ssid`,
        `DUP_NETWORK ${ifn} ${ifn} 0 1 priority`,
        `IFNAME=${ifn} GET_NETWORK 1 ssid`,
        `IFNAME=${ifn} GET_NETWORK 1 priority`,
        `DUP_NETWORK ${ifn} ${ifn} 0 9 ssid`,
        `DUP_NETWORK ${ifn} ${ifn} 9 1 ssid`,
        `DUP_NETWORK ${ifn} bogus0 0 1 ssid`,
        `DUP_NETWORK ${ifn} ${ifn} 0 1 bogus_field`,
        `DUP_NETWORK ${ifn} ${ifn} 0 1`,
        'DUP_NETWORK',
        'DUP_NETWORK ',
      ],
      g,
    );
  });

  it('global monitors get IFNAME=<if> <3>... events', async () => {
    const p = pair();
    const m = await MonitorPair.open(p, 'global');
    await p.sameAll(['ADD_NETWORK', 'REMOVE_NETWORK all']);
    const evs = await m.expectSameEvents('ADD_NETWORK / REMOVE_NETWORK all via a global monitor');
    expect(evs).toEqual([`IFNAME=${p.ifname} <3>CTRL-EVENT-NETWORK-ADDED 0`, `IFNAME=${p.ifname} <3>CTRL-EVENT-NETWORK-REMOVED 0`]);
    await p.same('DETACH', g);
  });

  it('TERMINATE on the global socket: OK, both exit 0, sockets removed', async () => {
    const p = pair();
    await p.same('TERMINATE', g);
    for (const side of [p.ref, p.dut]) {
      const st = await exitedWithin(side.daemon.proc, 5000);
      expect(st, `${side.label} exit status`).toEqual({ code: 0, signal: null });
      expect(existsSync(side.daemon.ctrlPath), `${side.label}: ${side.daemon.ctrlPath} removed`).toBe(false);
      expect(existsSync(side.ctx.ctrlDir), `${side.label}: empty ctrl dir removed`).toBe(false);
      expect(existsSync(side.daemon.globalPath!), `${side.label}: global socket removed`).toBe(false);
    }
  });
});
