/**
 * The C library and hostap string primitives that wpa_supplicant's
 * configuration code is built on, reproduced with their exact edge cases
 * (strtol base 0 with 32-bit truncation, atoi, printf_decode/printf_encode,
 * hwaddr parsing).
 *
 * Why: SET_NETWORK, SET and the configuration file accept exactly what these
 * functions accept in wpa_supplicant 2.10, quirks included ("08" is an error,
 * "0x10" is 16, "" is 0, "99999999999" wraps to 1215752191), so the accepted
 * set can only match if the primitives match.
 *
 * Text convention for the whole config module: values are "binary strings",
 * one UTF-16 code unit per byte (what `buf.toString('latin1')` gives), because
 * wpa_supplicant treats them as bytes and SSIDs or passphrases may hold any
 * byte, UTF-8 included.
 */

const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

/** C isspace() in the "C" locale. */
export function isCSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\v' || ch === '\f' || ch === '\r';
}

function digitValue(ch: string | undefined): number {
  if (ch === undefined) return -1;
  const c = ch.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x5a) return c - 0x41 + 10;
  return -1;
}

/**
 * glibc strtol(): returns the value as a 64-bit `long` (saturated) and the
 * index where parsing stopped (0 when no digits were found, like endptr=nptr).
 */
function strtol(s: string, base: 0 | 10): { value: bigint; end: number } {
  let i = 0;
  while (isCSpace(s[i])) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  let radix: number = base === 0 ? 10 : base;
  if (base === 0) {
    if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && digitValue(s[i + 2]) >= 0 && digitValue(s[i + 2]) < 16) {
      radix = 16;
      i += 2;
    } else if (s[i] === '0') {
      radix = 8;
    }
  }
  const start = i;
  let acc = 0n;
  let overflow = false;
  for (;;) {
    const d = digitValue(s[i]);
    if (d < 0 || d >= radix) break;
    if (!overflow) {
      acc = acc * BigInt(radix) + BigInt(d);
      if (acc > LONG_MAX + 1n) overflow = true;
    }
    i++;
  }
  if (i === start) return { value: 0n, end: 0 };
  let value = neg ? -acc : acc;
  if (overflow || value > LONG_MAX) value = neg ? LONG_MIN : LONG_MAX;
  if (value < LONG_MIN) value = LONG_MIN;
  return { value, end: i };
}

/** Assigning a `long` to a C `int`: keep the low 32 bits, two's complement. */
function toInt32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

/** `int val = strtol(value, &end, 0); if (*end) fail;` — the config parsers' integer rule. */
export function parseCInt(value: string): number | undefined {
  // With no digits strtol leaves end at the start, so only "" passes as 0.
  const { value: v, end } = strtol(value, 0);
  if (end < value.length) return undefined;
  return toInt32(v);
}

/**
 * Why an INT / INT_RANGE value was refused, in the words of 2.10's
 * wpa_config_parse_int() and wpa_global_config_parse_int(); undefined when it
 * is valid. A bound of 0 is not checked, as there. Quoting the value is safe
 * here: only numeric fields use it, never a passphrase.
 */
export function intRefusal(name: string, value: string, range?: [number, number]): string | undefined {
  const v = parseCInt(value);
  if (v === undefined) return `invalid number "${value}"`;
  if (range && range[0] !== 0 && v < range[0]) return `too small ${name} (value=${v} min_value=${range[0]})`;
  if (range && range[1] !== 0 && v > range[1]) return `too large ${name} (value=${v} max_value=${range[1]})`;
  return undefined;
}

/** C atoi(): (int)strtol(s, NULL, 10). */
export function atoi(s: string): number {
  return toInt32(strtol(s, 10).value);
}

function hex2num(ch: string | undefined): number {
  const d = digitValue(ch);
  return d >= 0 && d < 16 ? d : -1;
}

function hex2byte(s: string, i: number): number {
  const a = hex2num(s[i]);
  const b = hex2num(s[i + 1]);
  if (a < 0 || b < 0) return -1;
  return (a << 4) | b;
}

/** hexstr2bin(): exactly `len` bytes from the start of `s`, or undefined. */
export function hexToBytes(s: string, len: number): Buffer | undefined {
  const out = Buffer.alloc(len);
  for (let i = 0; i < len; i++) {
    const b = hex2byte(s, 2 * i);
    if (b < 0) return undefined;
    out[i] = b;
  }
  return out;
}

export function bin(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

/** hostap printf_decode(): the escapes of the P"..." string form. */
function printfDecode(str: string): Buffer {
  const out: number[] = [];
  let i = 0;
  while (i < str.length) {
    const ch = str[i];
    if (ch !== '\\') {
      out.push(str.charCodeAt(i) & 0xff);
      i++;
      continue;
    }
    i++;
    const e = str[i];
    switch (e) {
      case '\\': out.push(0x5c); i++; break;
      case '"': out.push(0x22); i++; break;
      case 'n': out.push(0x0a); i++; break;
      case 'r': out.push(0x0d); i++; break;
      case 't': out.push(0x09); i++; break;
      case 'e': out.push(0x1b); i++; break;
      case 'x': {
        i++;
        const v = hex2byte(str, i);
        if (v >= 0) {
          out.push(v);
          i += 2;
        } else {
          const n = hex2num(str[i]);
          if (n >= 0) {
            out.push(n);
            i++;
          }
        }
        break;
      }
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        let v = str.charCodeAt(i++) - 0x30;
        for (let k = 0; k < 2; k++) {
          const c = str[i];
          if (c !== undefined && c >= '0' && c <= '7') v = v * 8 + (str.charCodeAt(i++) - 0x30);
        }
        out.push(v & 0xff);
        break;
      }
      default:
        // Unknown escape: the backslash is dropped and the next character is
        // read as an ordinary one (or the string ends).
        break;
    }
  }
  return Buffer.from(out);
}

/** SSID_MAX_LEN: an SSID is at most 32 octets. */
const SSID_MAX_LEN = 32;

/** printf_encode()'s letter escapes; every other byte outside 0x20..0x7e becomes \xNN, UTF-8 included. */
const LETTER_ESCAPES: Readonly<Record<number, string>> = {
  0x22: '\\"',
  0x5c: '\\\\',
  0x1b: '\\e',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
};

/**
 * wpa_ssid_txt(): an SSID as wpa_supplicant prints it in replies and events
 * (SCAN_RESULTS, BSS, LIST_NETWORKS, STATUS, "Trying to associate", ...),
 * through printf_encode(). That writes into a SSID_MAX_LEN * 4 + 1 byte buffer
 * and stops once 4 bytes or fewer remain, so an over-long SSID from a scan is
 * cut where wpa_supplicant cuts it.
 */
export function ssidTxt(ssid: Buffer): string {
  let out = '';
  for (const b of ssid) {
    if (out.length + 4 >= SSID_MAX_LEN * 4 + 1) break;
    const esc = LETTER_ESCAPES[b];
    if (esc !== undefined) out += esc;
    else out += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/**
 * wpa_config_parse_string(): `"text"` (the last quote must end the value),
 * `P"printf-escaped"`, or an even number of hex digits. undefined = invalid.
 */
export function parseConfigString(value: string): Buffer | undefined {
  if (value[0] === '"') {
    const body = value.slice(1);
    const q = body.lastIndexOf('"');
    if (q < 0 || q !== body.length - 1) return undefined;
    return bin(body.slice(0, q));
  }
  if (value[0] === 'P' && value[1] === '"') {
    const body = value.slice(2);
    const q = body.lastIndexOf('"');
    if (q < 0 || q !== body.length - 1) return undefined;
    return printfDecode(body.slice(0, q));
  }
  if (value.length % 2 !== 0) return undefined;
  return hexToBytes(value, value.length / 2);
}

/**
 * The body of a P"..." string that printfDecode() turns back into `b`, with
 * no double quote in it (`"` is \x22), so a `#` inside stays protected from
 * the reader's comment rule.
 */
export function printfEncodeQuoteFree(b: Buffer): string {
  let out = '';
  for (const c of b) {
    if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c <= 0x7e && c !== 0x22) out += String.fromCharCode(c);
    else out += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** is_hex(): any byte outside 0x20..0x7e forces the hex form. */
function needsHex(b: Buffer): boolean {
  for (const c of b) if (c < 32 || c >= 127) return true;
  return false;
}

/** wpa_config_write_string(): quoted when printable ASCII, else bare lower-case hex. */
export function writeConfigString(b: Buffer): string {
  return needsHex(b) ? b.toString('hex') : `"${b.toString('latin1')}"`;
}

/** A C string stops at its first NUL byte (fields stored without a length). */
export function cString(b: Buffer): Buffer {
  const z = b.indexOf(0);
  return z < 0 ? b : b.subarray(0, z);
}

export function hasCtrlChar(b: Buffer): boolean {
  for (const c of b) if (c < 32 || c === 127) return true;
  return false;
}

export function hasNewline(s: string): boolean {
  return s.includes('\n') || s.includes('\r');
}

/** hwaddr_parse(): "xx:xx:xx:xx:xx:xx" at index i; returns the bytes and the index after them. */
export function parseHwaddr(s: string, i: number): { addr: Buffer; next: number } | undefined {
  const addr = Buffer.alloc(6);
  for (let k = 0; k < 6; k++) {
    const b = hex2byte(s, i);
    if (b < 0) return undefined;
    addr[k] = b;
    i += 2;
    if (k < 5) {
      if (s[i] !== ':') return undefined;
      i++;
    }
  }
  return { addr, next: i };
}

export function macToString(b: Buffer): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** wpa_config_parse_int_array(): atoi over space-separated words, stopping at the first 0. */
export function parseIntArray(value: string): number[] {
  const out: number[] = [];
  let pos: number | undefined = 0;
  while (pos !== undefined) {
    while (value[pos] === ' ') pos++;
    const v = atoi(value.slice(pos));
    if (v === 0) break;
    out.push(v);
    const sp = value.indexOf(' ', pos + 1);
    pos = sp < 0 ? undefined : sp;
  }
  return out;
}
