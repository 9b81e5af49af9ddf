/**
 * SAVE_CONFIG: the text wpa_supplicant 2.10 writes for the same state, and an
 * atomic, private file replacement.
 *
 * Every line reads back as the value it was written from: network strings
 * with any byte outside 0x20..0x7e are written as hex (as 2.10 does), and so
 * are those whose quoted form the reader would cut (a `#` after an inner
 * quote pair; 2.10 writes those quoted and loses the rest); a passphrase
 * cannot hold control characters, global string options refuse newlines
 * (country included, unlike 2.10), and SET refuses any value that still
 * would not read back (file-line.ts).
 */
import { writeFileAtomic } from '../atomic-file.js';
import { SupplicantConfig } from './config.js';
import { NETWORK_FIELDS } from './fields.js';
import { readsBack, savedText } from './file-line.js';
import { NetworkConfig } from './network.js';
import { KM_PSK_NO_SAE, KM_SAE, KM_WPS } from './tokens.js';

/** 2.10 does not save temporary or WPS-only networks, nor ones that cannot connect for lack of a key. */
function isSaved(net: NetworkConfig): boolean {
  const km = net.state.keyMgmt;
  if (net.temporary || km === KM_WPS) return false;
  if (km & KM_PSK_NO_SAE && !net.hasPsk) return false;
  if (km & KM_SAE && net.state.passphrase === undefined && net.state.saePassword === undefined) return false;
  return true;
}

/** A value that no line of the file can hold so that it reads back (SET refuses those; a file may still bring one). */
export class UnwritableValueError extends Error {
  constructor(readonly field: string) {
    super(`${field}: the value cannot be written so that it reads back`);
    this.name = 'UnwritableValueError';
  }
}

function networkBlock(net: NetworkConfig): string {
  let out = '\nnetwork={\n';
  for (const f of NETWORK_FIELDS) {
    if (!f.saved || f.omitOnSave(net.state)) continue;
    const text = savedText(f, net.state);
    if (text === null) throw new UnwritableValueError(`network ${net.id} ${f.name}`);
    if (text === undefined) continue;
    out += `\t${f.name}=${text}\n`;
  }
  return out + '}\n';
}

/** The file text (a binary string: one char per byte); throws UnwritableValueError rather than write a line that reads back differently. */
export function serializeConfig(cfg: SupplicantConfig): string {
  let out = '';
  for (const [name, text] of cfg.globalLines()) {
    if (!readsBack(name, text, false)) throw new UnwritableValueError(name);
    out += `${name}=${text}\n`;
  }
  for (const net of cfg.networks) if (isSaved(net)) out += networkBlock(net);
  return out;
}

/**
 * SAVE_CONFIG's file replacement: atomic and durable, concurrent saves
 * serialized (src/atomic-file.ts). Mode 0600 on purpose: 2.10 leaves 0644
 * behind with the passphrases in it. The text is taken when the save is
 * asked for, so each save writes the state it was asked to save.
 */
export function saveConfigFile(path: string, cfg: SupplicantConfig): Promise<void> {
  return writeFileAtomic(path, Buffer.from(serializeConfig(cfg), 'latin1'));
}
