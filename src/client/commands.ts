/**
 * The command table of the command-line tool: wpa_cli's command names (lower
 * case, matched case-insensitively, unique prefixes accepted) and how each
 * turns its arguments into one control-interface request.
 */

/** What a command's arguments complete to, by position (wpa_cli's completion callback; completion.ts completes them). */
export type ArgCompletion = 'network_id' | 'network' | 'bss' | 'command';

export interface CliCommand {
  name: string;
  usage: string;
  /** What its arguments complete to in interactive mode (wpa_cli's completion function). */
  complete?: ArgCompletion;
  /** Fewer arguments than this: wpa_cli's "Invalid X command" message, nothing sent. */
  minArgs: number;
  /** The request to send; undefined for commands the tool handles itself. */
  build?: (args: string[]) => string;
}

/** `NAME arg1 arg2 ...`: wpa_cli's write_cmd(). */
const plain =
  (ctrl: string) =>
  (args: string[]): string =>
    [ctrl, ...args].join(' ');

const cmd = (name: string, minArgs: number, usage: string, build?: (args: string[]) => string, complete?: ArgCompletion): CliCommand => ({
  name,
  minArgs,
  usage,
  build: build ?? plain(name.toUpperCase()),
  ...(complete ? { complete } : {}),
});

export const COMMANDS: readonly CliCommand[] = [
  cmd('status', 0, '[verbose] = get current WPA/EAPOL/EAP status', (a) => {
    const suffix: Record<string, string> = { verbose: '-VERBOSE', wps: '-WPS', driver: '-DRIVER' };
    return `STATUS${suffix[a[0] ?? ''] ?? ''}`;
  }),
  cmd('ifname', 0, '= get current interface name', () => 'IFNAME'),
  cmd('ping', 0, '= pings wpa_supplicant', () => 'PING'),
  cmd('relog', 0, '= re-open log-file (allow rolling logs)', () => 'RELOG'),
  cmd('note', 1, '<text> = add a note to wpa_supplicant debug log'),
  cmd('mib', 0, '= get MIB variables (dot1x, dot11)', () => 'MIB'),
  cmd('interfaces', 0, '[ctrl] = list available interfaces'),
  cmd('list_networks', 0, '= list configured networks'),
  cmd('add_network', 0, '= add a network', () => 'ADD_NETWORK'),
  cmd('remove_network', 1, '<network id|all> = remove a network', undefined, 'network_id'),
  cmd('set_network', 3, '<network id> <variable> <value> = set network variables', undefined, 'network'),
  cmd('get_network', 2, '<network id> <variable> = get network variables', undefined, 'network'),
  cmd('enable_network', 1, '<network id|all> = enable a network', undefined, 'network_id'),
  cmd('disable_network', 1, '<network id|all> = disable a network', undefined, 'network_id'),
  cmd('select_network', 1, '<network id|any> = select a network (disable others)', undefined, 'network_id'),
  cmd('dup_network', 5, '<src ifname> <dst ifname> <src id> <dst id> <variable> = duplicate a network variable'),
  cmd('save_config', 0, '= save the current configuration', () => 'SAVE_CONFIG'),
  cmd('reconfigure', 0, '= force wpa_supplicant to re-read its configuration file', () => 'RECONFIGURE'),
  cmd('get', 1, '<name> = get a global variable'),
  // `set name` alone sends "SET name " (with the space), which clears the value.
  cmd('set', 1, '<name> <value> = set a global variable', (a) => (a.length === 1 ? `SET ${a[0]} ` : plain('SET')(a))),
  cmd('get_capability', 1, '<eap|pairwise|group|key_mgmt|proto|auth_alg|...> = get capabilities'),
  cmd('log_level', 0, '<level> [<timestamp>] = update the log level/timestamp'),
  cmd('pmksa', 0, '= show PMKSA cache', () => 'PMKSA'),
  cmd('pmksa_flush', 0, '= flush PMKSA cache entries', () => 'PMKSA_FLUSH'),
  cmd('reassociate', 0, '= force reassociation', () => 'REASSOCIATE'),
  cmd('reconnect', 0, '= like reassociate, but only takes effect if already disconnected', () => 'RECONNECT'),
  cmd('disconnect', 0, '= disconnect and wait for reassociate/reconnect command', () => 'DISCONNECT'),
  cmd('scan', 0, '= request new BSS scan'),
  cmd('scan_results', 0, '= get latest scan results', () => 'SCAN_RESULTS'),
  cmd('bss', 1, '<<idx> | <bssid>> = get detailed scan result info', undefined, 'bss'),
  cmd('bssid', 2, '<network id> <BSSID> = set preferred BSSID for an SSID', undefined, 'network_id'),
  cmd('signal_poll', 0, '= get signal parameters', () => 'SIGNAL_POLL'),
  cmd('driver_flags', 0, '= list driver flags', () => 'DRIVER_FLAGS'),
  cmd('interface_add', 1, '<ifname> <confname> <driver> <ctrl_interface> <driver_param> <bridge_name> = adds a new interface', (a) =>
    // wpa_cli joins the fields with TABs, always six of them
    `INTERFACE_ADD ${[0, 1, 2, 3, 4, 5].map((i) => a[i] ?? '').join('\t')}`,
  ),
  cmd('interface_remove', 1, '<ifname> = removes the interface'),
  cmd('interface_list', 0, '= list available interfaces', () => 'INTERFACE_LIST'),
  cmd('terminate', 0, '= terminate wpa_supplicant', () => 'TERMINATE'),
  cmd('raw', 1, '<params..> = send unprocessed command', (a) => a.join(' ')),
  // Handled by the tool itself.
  { name: 'level', minArgs: 1, usage: '<debug level> = change debug level of the event monitor' },
  { name: 'help', minArgs: 0, usage: '[command] = show usage help', complete: 'command' },
  { name: 'quit', minArgs: 0, usage: '= exit wpa-offload-cli' },
];

export type Lookup =
  | { kind: 'found'; command: CliCommand }
  | { kind: 'unknown' }
  | { kind: 'ambiguous'; candidates: string[] };

/** wpa_cli's matching: an exact name wins, otherwise a unique prefix, any case. */
export function lookup(word: string): Lookup {
  const w = word.toLowerCase();
  const exact = COMMANDS.find((c) => c.name === w);
  if (exact) return { kind: 'found', command: exact };
  const hits = COMMANDS.filter((c) => c.name.startsWith(w));
  if (hits.length === 1) return { kind: 'found', command: hits[0]! };
  if (hits.length === 0) return { kind: 'unknown' };
  return { kind: 'ambiguous', candidates: hits.map((c) => c.name) };
}

/**
 * Splits an interactive line as wpa_cli does: on spaces, except that a word
 * starting with `"` runs to the last `"` of the line (so quoted SSIDs keep
 * their spaces).
 */
export function splitLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ') i++;
    if (i >= line.length) break;
    const start = i;
    if (line[i] === '"') {
      const last = line.lastIndexOf('"');
      if (last > i) i = last + 1;
    }
    while (i < line.length && line[i] !== ' ') i++;
    out.push(line.slice(start, i));
  }
  return out;
}

/** Words whose presence keeps a line out of the saved history (wpa_cli does the same). */
export function hasSensitiveData(line: string): boolean {
  const l = line.trimStart().toLowerCase();
  return (
    (l.startsWith('set_network ') && /\s(psk|password|sae_password|wep_key\d|passphrase)\s/.test(`${l} `)) ||
    l.startsWith('password ') ||
    l.startsWith('new_password ') ||
    l.startsWith('passphrase ')
  );
}
