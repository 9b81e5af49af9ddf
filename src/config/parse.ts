/**
 * wpa_supplicant.conf reader with wpa_supplicant 2.10's line rules
 * (file-line.ts), `network={` ... `}` blocks, and `name=value` lines.
 *
 * Deliberate difference: 2.10 keeps reading after a bad line to log every
 * error, then rejects the file; we stop at the first one and report its line.
 */
import { readFile } from 'node:fs/promises';
import { SupplicantConfig } from './config.js';
import { networkField } from './fields.js';
import { NETWORK_LINE_MAX, TOP_LINE_MAX, cleanLine } from './file-line.js';
import { NetworkConfig } from './network.js';
import { CIPHER_CCMP, KEY_MGMT, PAIRWISE_ALLOWING_CCMP_GROUP, bits } from './tokens.js';

const WPAS_MODE_MESH = 5;
const KM_NONE = bits(KEY_MGMT, 'NONE');
const KM_SAE_ONLY = bits(KEY_MGMT, 'SAE');

export class ConfigParseError extends Error {
  constructor(readonly line: number, message: string) {
    super(`Line ${line}: ${message}`);
    this.name = 'ConfigParseError';
  }
}

/** Physical lines with wpa_config_get_line()'s clean-up; next() returns the next meaningful line, lineNo its number. */
class LineReader {
  #lines: string[];
  #i = 0;

  constructor(text: string) {
    this.#lines = text.split('\n');
    // A final newline does not start another line.
    if (this.#lines.length && this.#lines[this.#lines.length - 1] === '') this.#lines.pop();
  }

  get lineNo(): number {
    return this.#i;
  }

  next(bufSize: number): string | undefined {
    while (this.#i < this.#lines.length) {
      const s = cleanLine(this.#lines[this.#i++], bufSize);
      if (s !== undefined) return s;
    }
    return undefined;
  }
}

function readNetwork(cfg: SupplicantConfig, lines: LineReader, startLine: number): void {
  const net = new NetworkConfig(cfg.nextId());
  for (;;) {
    const line = lines.next(NETWORK_LINE_MAX);
    if (line === undefined) throw new ConfigParseError(lines.lineNo, `network block starting at line ${startLine} was not terminated properly`);
    if (line === '}') break;
    const eq = line.indexOf('=');
    // Messages never quote a value or a whole line: it may be a passphrase.
    if (eq < 0) throw new ConfigParseError(lines.lineNo, "invalid network line (no '=')");
    const name = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (value[0] === '"' && value.indexOf('"', 1) < 0) throw new ConfigParseError(lines.lineNo, `invalid quotation in ${name}`);
    const field = networkField(name);
    if (!field) throw new ConfigParseError(lines.lineNo, `unknown network field '${name}'`);
    if (!net.set(name, value)) throw new ConfigParseError(lines.lineNo, `failed to parse ${name}`);
  }
  // wpa_config_validate_network(): a mesh network is open or SAE, and a
  // group cipher may not be stronger than the pairwise one.
  const st = net.state;
  if (st.mode === WPAS_MODE_MESH && st.keyMgmt !== KM_NONE && st.keyMgmt !== KM_SAE_ONLY) {
    throw new ConfigParseError(lines.lineNo, 'key_mgmt for mesh network should be open or SAE');
  }
  if (st.group & CIPHER_CCMP && !(st.pairwise & PAIRWISE_ALLOWING_CCMP_GROUP)) {
    net.patchState({ group: st.group & ~CIPHER_CCMP });
  }
  cfg.appendNetwork(net);
}

/** Parses wpa_supplicant.conf text (a binary string or UTF-8 text); throws ConfigParseError with the line number. */
export function parseConfig(text: string): SupplicantConfig {
  const cfg = new SupplicantConfig();
  const lines = new LineReader(text);
  for (;;) {
    const line = lines.next(TOP_LINE_MAX);
    if (line === undefined) break;
    if (line === 'network={') {
      readNetwork(cfg, lines, lines.lineNo);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new ConfigParseError(lines.lineNo, "invalid configuration line (no '=')");
    const name = line.slice(0, eq);
    if (!cfg.processGlobal(name, line.slice(eq + 1))) {
      throw new ConfigParseError(lines.lineNo, `unknown global field or invalid value for '${name}'`);
    }
  }
  return cfg;
}

/** Reads and parses a configuration file; bytes are kept as they are (latin1 binary string). */
export async function readConfigFile(path: string): Promise<SupplicantConfig> {
  return parseConfig(await readFile(path, 'latin1'));
}
