/**
 * wpa_supplicant.conf reader with wpa_supplicant 2.10's line rules
 * (file-line.ts), `network={` ... `}` blocks, and `name=value` lines.
 *
 * Errors read as 2.10's, except that a value or a whole line is never
 * quoted (2.10 quotes them, passphrases included).
 */
import { readFileSync } from 'node:fs';
import { SupplicantConfig } from './config.js';
import { networkField } from './fields.js';
import { globalField } from './globals.js';
import { NETWORK_LINE_MAX, TOP_LINE_MAX, cleanLine } from './file-line.js';
import { NetworkConfig } from './network.js';
import { CIPHER_CCMP, KEY_MGMT, PAIRWISE_ALLOWING_CCMP_GROUP, bits } from './tokens.js';

const WPAS_MODE_MESH = 5;
const KM_NONE = bits(KEY_MGMT, 'NONE');
const KM_SAE_ONLY = bits(KEY_MGMT, 'SAE');

/** One bad line, with wpa_supplicant 2.10's wording (less any value it would quote: it may be a secret). */
export interface ConfigLineError {
  line: number;
  message: string;
}

/** The file was rejected: every bad line, in file order, as 2.10 lists them before failing. */
export class ConfigParseError extends Error {
  readonly line: number;

  constructor(readonly errors: readonly ConfigLineError[]) {
    super(errors.map((e) => `Line ${e.line}: ${e.message}`).join('\n'));
    this.line = errors[0].line;
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

/**
 * wpa_config_read_network(): a bad line is reported and skipped, the block
 * is read to its end, and a block with errors is dropped (the file then fails).
 */
function readNetwork(cfg: SupplicantConfig, lines: LineReader, errors: ConfigLineError[]): void {
  const net = new NetworkConfig(cfg.nextId());
  let bad = 0;
  const fail = (message: string): void => {
    errors.push({ line: lines.lineNo, message });
    bad++;
  };
  let ended = false;
  for (;;) {
    const line = lines.next(NETWORK_LINE_MAX);
    if (line === undefined) break;
    if (line === '}') {
      ended = true;
      break;
    }
    const eq = line.indexOf('=');
    // Messages never quote a value or a whole line (2.10 does): it may be a passphrase.
    if (eq < 0) {
      fail('Invalid SSID line.');
      continue;
    }
    const name = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (value[0] === '"' && value.indexOf('"', 1) < 0) {
      fail('invalid quotation.');
      continue;
    }
    const field = networkField(name);
    if (!field) {
      fail(`unknown network field '${name}'.`);
      continue;
    }
    if (!net.set(name, value)) {
      const why = field.explain?.(value);
      if (why !== undefined) errors.push({ line: lines.lineNo, message: why });
      fail(`failed to parse ${name}.`);
    }
  }
  if (!ended) fail('network block was not terminated properly.');
  // wpa_config_validate_network(): a mesh network is open or SAE, and a
  // group cipher may not be stronger than the pairwise one.
  const st = net.state;
  if (st.mode === WPAS_MODE_MESH && st.keyMgmt !== KM_NONE && st.keyMgmt !== KM_SAE_ONLY) {
    fail('key_mgmt for mesh network should be open or SAE');
  }
  if (st.group & CIPHER_CCMP && !(st.pairwise & PAIRWISE_ALLOWING_CCMP_GROUP)) {
    net.patchState({ group: st.group & ~CIPHER_CCMP });
  }
  if (bad) errors.push({ line: lines.lineNo, message: 'failed to parse network block.' });
  else cfg.appendNetwork(net);
}

/**
 * Parses wpa_supplicant.conf text (a binary string or UTF-8 text). As 2.10,
 * reads on after a bad line and then rejects the file: ConfigParseError
 * lists every error.
 */
export function parseConfig(text: string): SupplicantConfig {
  const cfg = new SupplicantConfig();
  const lines = new LineReader(text);
  const errors: ConfigLineError[] = [];
  for (;;) {
    const line = lines.next(TOP_LINE_MAX);
    if (line === undefined) break;
    if (line === 'network={') {
      readNetwork(cfg, lines, errors);
      continue;
    }
    const eq = line.indexOf('=');
    const name = eq < 0 ? line : line.slice(0, eq);
    if (eq < 0 || !cfg.processGlobal(name, line.slice(eq + 1))) {
      if (eq >= 0) {
        const field = globalField(name);
        const why = field?.explain?.(line.slice(eq + 1));
        if (why !== undefined) errors.push({ line: lines.lineNo, message: why });
        const message = field ? `failed to parse '${name}'.` : `unknown global field '${name}'.`;
        errors.push({ line: lines.lineNo, message });
      }
      // Without '=' the whole line would be quoted: it may be a stray passphrase.
      errors.push({ line: lines.lineNo, message: eq < 0 ? 'Invalid configuration line.' : `Invalid configuration line '${name}'.` });
    }
  }
  if (errors.length) throw new ConfigParseError(errors);
  return cfg;
}

/**
 * Reads and parses a configuration file; bytes are kept as they are (latin1
 * binary string). Synchronously, as wpa_supplicant reads it: the file is
 * small and local, and at start-up it is read before the control socket
 * exists, where each of fs.promises.readFile's steps (open, fstat, read,
 * close) was a round trip through libuv's thread pool, which also had to be
 * started for it (`npm run bench -- startup`: exec to first PONG 2-4 % less).
 */
export function readConfigFile(path: string): SupplicantConfig {
  return parseConfig(readFileSync(path, 'latin1'));
}
