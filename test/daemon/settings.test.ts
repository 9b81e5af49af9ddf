/** The settings file: relative paths point into the settings file's directory, not the working directory. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSettings, readSettings, SettingsError } from '../../src/daemon/settings.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function settingsFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wo-settings-'));
  dirs.push(dir);
  const file = path.join(dir, 'wpa-offloadd.ini');
  fs.writeFileSync(file, text);
  return file;
}

describe('settings paths', () => {
  it('resolves scenario=, socket=, pmksa_file and the log file against the settings file directory', () => {
    const file = settingsFile(
      '[driver]\nbackend = sim\nparams = scenario=sim.ini,seed=3 socket=../drv.sock\n' +
        '[offload]\npmksa_file = state/pmksa-%i\n[log]\nfile = logs/d.log\n',
    );
    const dir = path.dirname(file);
    const s = readSettings(path.relative(process.cwd(), file));
    expect(s.driver).toEqual({ backend: 'sim', params: `scenario=${dir}/sim.ini seed=3 socket=${path.dirname(dir)}/drv.sock` });
    expect(s.offload.pmksaFile).toBe(`${dir}/state/pmksa-%i`);
    expect(s.log.file).toBe(`${dir}/logs/d.log`);
  });

  it('leaves absolute paths alone', () => {
    const file = settingsFile('[driver]\nbackend = ext\nparams = socket=/run/drv.sock\n[offload]\npmksa_file = /var/lib/x/p\n[log]\nfile = /var/log/x.log\n');
    const s = readSettings(file);
    expect(s.driver).toEqual({ backend: 'ext', params: 'socket=/run/drv.sock' });
    expect(s.offload.pmksaFile).toBe('/var/lib/x/p');
    expect(s.log.file).toBe('/var/log/x.log');
  });

  it('names the file and the key for malformed driver parameters', () => {
    const file = settingsFile('[driver]\nbackend = sim\nparams = scenario\n');
    expect(() => readSettings(file)).toThrow(SettingsError);
    expect(() => readSettings(file)).toThrow(`${file}: [driver] params: driver parameter 'scenario' is not key=value`);
  });

  it('[driver] eapol: auto, control_port or packet, with or without a backend; anything else names the key', () => {
    expect(parseSettings('').eapol).toBeUndefined();
    for (const m of ['auto', 'control_port', 'packet']) expect(parseSettings(`[driver]\neapol = ${m}\n`).eapol).toBe(m);
    expect(() => parseSettings('[driver]\neapol = raw\n')).toThrow('settings: [driver] eapol = raw is not one of auto, control_port, packet');
  });

  it('[driver] assume_4way_offload: off by default and with false; psk, sae or both; anything else names the key', () => {
    expect(parseSettings('').assume4WayOffload).toBeUndefined();
    expect(parseSettings('[driver]\nassume_4way_offload = false\n').assume4WayOffload).toBeUndefined();
    expect(parseSettings('[driver]\nassume_4way_offload = psk\n').assume4WayOffload).toEqual(['psk']);
    expect(parseSettings('[driver]\nassume_4way_offload = psk, sae\n').assume4WayOffload).toEqual(['psk', 'sae']);
    for (const bad of ['true', '8021x', 'psk,ft', '']) {
      expect(() => parseSettings(`[driver]\nassume_4way_offload = ${bad}\n`)).toThrow(`settings: [driver] assume_4way_offload = ${bad === '' ? '' : bad} is not false or a list of psk, sae`);
    }
  });

  it('text without a file keeps paths as written', () => {
    expect(parseSettings('[offload]\npmksa_file = p\n').offload.pmksaFile).toBe('p');
  });
});
