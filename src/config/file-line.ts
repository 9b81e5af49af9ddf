/**
 * One physical line of wpa_supplicant.conf as wpa_supplicant 2.10's reader
 * (wpa_config_get_line()) sees it: an fgets() buffer of 512 bytes at top
 * level and 2000 inside a network block (the rest of a longer line is
 * dropped), leading blanks skipped, `#` comment lines skipped, a `#` outside
 * double-quote pairs ending the line, trailing blanks removed.
 *
 * The reader (parse.ts) and the writer (write.ts) share these rules: the
 * writer never puts a line in the file that would read back as anything but
 * itself, and SET refuses a value that could not be written that way.
 */
import type { NetworkField, NetworkState } from './fields.js';

export const TOP_LINE_MAX = 512;
export const NETWORK_LINE_MAX = 2000;

/**
 * A '#' starts a comment unless it sits between a pair of double quotes;
 * quotes pair up from the left, and an unpaired quote protects nothing.
 */
function stripComment(s: string): string {
  let end = s.indexOf('#');
  let from = 0;
  while (end >= 0) {
    const open = s.indexOf('"', from);
    if (open < 0 || open > end) break;
    const close = s.indexOf('"', open + 1);
    if (close < 0) break;
    from = close + 1;
    if (from > end) end = s.indexOf('#', from);
  }
  return end >= 0 ? s.slice(0, end) : s;
}

/** The meaningful text of one physical line (without its newline), or undefined for a blank or comment line. */
export function cleanLine(physical: string, bufSize: number): string | undefined {
  // fgets keeps at most size-1 bytes, counting the newline.
  let s = physical + '\n';
  if (s.length > bufSize - 1) s = s.slice(0, bufSize - 1);
  let p = 0;
  while (s[p] === ' ' || s[p] === '\t' || s[p] === '\r') p++;
  if (s[p] === '#' || s[p] === '\n' || p >= s.length) return undefined;
  s = stripComment(s.slice(p));
  s = s.replace(/[\n \t\r]+$/, '');
  return s === '' ? undefined : s;
}

/** `name=text` written as a line (tab-indented in a network block) reads back as exactly `name=text`. */
export function readsBack(name: string, text: string, inNetwork: boolean): boolean {
  const line = `${name}=${text}`;
  if (/[\n\r]/.test(line)) return false;
  return cleanLine(inNetwork ? `\t${line}` : line, inNetwork ? NETWORK_LINE_MAX : TOP_LINE_MAX) === line;
}

/**
 * The text a network field is saved with: 2.10's (GET_NETWORK's) when it
 * reads back, else the first of the field's other forms that does (hex, then
 * P"..." for string fields). undefined: the field writes nothing in this
 * state; null: no form reads back (too long for the reader's line).
 */
export function savedText(field: NetworkField, st: Readonly<NetworkState>): string | undefined | null {
  const text = field.format(st);
  if (text === undefined || text === '') return undefined;
  for (const t of [text, ...(field.fileForms?.(st) ?? [])]) if (readsBack(field.name, t, true)) return t;
  return null;
}
