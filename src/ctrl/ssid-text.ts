/**
 * hostap printf_encode(), as wpa_ssid_txt() uses it for LIST_NETWORKS: quotes,
 * backslashes and the usual control characters get a letter escape; every
 * other byte outside 0x20..0x7e is \xNN, UTF-8 included.
 */
const LETTER_ESCAPES: Record<number, string> = {
  0x22: '\\"',
  0x5c: '\\\\',
  0x1b: '\\e',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
};

export function printfEncode(data: Buffer): string {
  let out = '';
  for (const b of data) {
    const esc = LETTER_ESCAPES[b];
    if (esc !== undefined) out += esc;
    else out += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}
