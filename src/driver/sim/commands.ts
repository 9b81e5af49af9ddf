/**
 * The simulator's DRIVER commands (`wpa_cli driver SIM_...`, the `driver_cmd`
 * op, and the scenario timeline). Each answers 'OK', 'FAIL <why>' or, for
 * SIM_STATUS, key=value lines, like wpa_supplicant's own replies.
 */
import { WAKE_REASONS, type WakeReason } from '../backend.js';
import { isMac } from '../wire.js';
import { FIRMWARE_MODES, RESTART_POINTS, type FirmwareMode, type RestartPoint } from './scenario.js';
import type { Simulator } from './simulator.js';

const SIM_COMMANDS = [
  'SIM_SIGNAL <bssid> <dBm>',
  'SIM_AP_DOWN <bssid>',
  'SIM_AP_UP <bssid>',
  'SIM_DEAUTH [reason]',
  'SIM_GTK_REKEY [host|fw]',
  'SIM_PTK_REKEY',
  'SIM_FW_RESTART',
  `SIM_FW_MODE <${FIRMWARE_MODES.join('|')}|restart_at=<${RESTART_POINTS.join('|')}>|restart_at=>`,
  `SIM_WAKE <${WAKE_REASONS.join('|')}>`,
  'SIM_STATUS',
] as const;

function intArg(s: string | undefined, min: number, max: number): number | undefined {
  if (s === undefined || !/^-?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= min && n <= max ? n : undefined;
}

export function runSimCommand(sim: Simulator, line: string): string {
  const [cmd, ...args] = line.trim().split(/\s+/);
  const bssidArg = (): string | undefined => (args[0] && isMac(args[0].toLowerCase()) ? args[0].toLowerCase() : undefined);
  switch ((cmd ?? '').toUpperCase()) {
    case 'SIM_SIGNAL': {
      const bssid = bssidArg();
      const dbm = intArg(args[1], -120, 0);
      if (!bssid || dbm === undefined || args.length !== 2) return 'FAIL usage: SIM_SIGNAL <bssid> <dBm>';
      return sim.setSignal(bssid, dbm) ? 'OK' : `FAIL unknown BSS ${bssid}`;
    }
    case 'SIM_AP_DOWN':
    case 'SIM_AP_UP': {
      const bssid = bssidArg();
      if (!bssid || args.length !== 1) return `FAIL usage: ${cmd.toUpperCase()} <bssid>`;
      return sim.setApUp(bssid, cmd.toUpperCase() === 'SIM_AP_UP') ? 'OK' : `FAIL unknown BSS ${bssid}`;
    }
    case 'SIM_DEAUTH': {
      const reason = args.length ? intArg(args[0], 1, 65535) : undefined;
      if (args.length > 1 || (args.length === 1 && reason === undefined)) return 'FAIL usage: SIM_DEAUTH [reason]';
      return sim.apDeauthNow(reason) ? 'OK' : 'FAIL not associated';
    }
    case 'SIM_GTK_REKEY': {
      const route = (args[0] ?? 'auto').toLowerCase();
      if (args.length > 1 || !['auto', 'host', 'fw'].includes(route)) return 'FAIL usage: SIM_GTK_REKEY [host|fw]';
      return sim.groupRekey(route as 'auto' | 'host' | 'fw');
    }
    case 'SIM_PTK_REKEY':
      return args.length ? 'FAIL usage: SIM_PTK_REKEY' : sim.ptkRekey();
    case 'SIM_FW_RESTART':
      if (args.length) return 'FAIL usage: SIM_FW_RESTART';
      sim.firmwareRestart();
      return 'OK';
    case 'SIM_FW_MODE': {
      const m = (args[0] ?? '').toLowerCase();
      if (args.length !== 1) return 'FAIL usage: SIM_FW_MODE <mode>';
      if (m.startsWith('restart_at=')) {
        const p = m.slice('restart_at='.length);
        if (p === '') sim.setRestartAt(undefined);
        else if ((RESTART_POINTS as readonly string[]).includes(p)) sim.setRestartAt(p as RestartPoint);
        else return `FAIL restart point must be one of ${RESTART_POINTS.join(', ')}`;
        return 'OK';
      }
      if (!(FIRMWARE_MODES as readonly string[]).includes(m)) return `FAIL mode must be one of ${FIRMWARE_MODES.join(', ')} or restart_at=<point>`;
      sim.setMode(m as FirmwareMode);
      return 'OK';
    }
    case 'SIM_WAKE': {
      const r = (args[0] ?? '').toLowerCase();
      if (args.length !== 1 || !(WAKE_REASONS as readonly string[]).includes(r)) return `FAIL usage: SIM_WAKE <${WAKE_REASONS.join('|')}>`;
      return sim.wake(r as WakeReason);
    }
    case 'SIM_STATUS':
      return sim.status();
    default:
      return `FAIL unknown command; simulator commands: ${SIM_COMMANDS.join(', ')}`;
  }
}
