/**
 * Tab completion of the interactive tool, as wpa_cli's completion functions
 * do it: the first word is a command name; after that, what the command
 * takes: network ids (wpa_cli_complete_network_id), network ids then field
 * names (wpa_cli_complete_network, for set_network / get_network), BSSIDs
 * (wpa_cli_complete_bss) or command names (help).
 *
 * The lists are wpa_cli's: network ids from LIST_NETWORKS (read at connect
 * and after add_network / remove_network; NETWORK-ADDED / -REMOVED events
 * from other clients keep it current too), BSSIDs from
 * `BSS RANGE=ALL MASK=0x2` at connect and the BSS-ADDED / BSS-REMOVED events.
 */
import { NETWORK_FIELDS } from '../config/fields.js';
import { COMMANDS, lookup } from './commands.js';

const FIELD_NAMES = NETWORK_FIELDS.map((f) => f.name);

export class CompletionState {
  private readonly networks = new Set<string>();
  private readonly bsses = new Set<string>();

  /** LIST_NETWORKS reply: the first column of every line after the header. */
  setNetworks(listNetworks: string): void {
    this.networks.clear();
    for (const line of listNetworks.split('\n').slice(1)) {
      const id = line.split('\t')[0];
      if (id) this.networks.add(id);
    }
  }

  /** `BSS RANGE=ALL MASK=0x2` reply: its bssid= lines. */
  setBsses(bssReply: string): void {
    this.bsses.clear();
    for (const m of bssReply.matchAll(/^bssid=(\S+)$/gm)) this.bsses.add(m[1]!);
  }

  /** An event's text (after the `<n>` prefix): wpa_cli's cli_event(), plus the network events. */
  onEvent(text: string): void {
    const [name, id, addr] = text.split(' ');
    if (name === 'CTRL-EVENT-BSS-ADDED' && addr) this.bsses.add(addr);
    else if (name === 'CTRL-EVENT-BSS-REMOVED' && addr) this.bsses.delete(addr);
    else if (name === 'CTRL-EVENT-NETWORK-ADDED' && id) this.networks.add(id);
    else if (name === 'CTRL-EVENT-NETWORK-REMOVED' && id) this.networks.delete(id);
  }

  /** readline's completer: the candidates for the word before the cursor, and that word. */
  complete(line: string): [string[], string] {
    const words = line.split(' ').filter(Boolean);
    const current = line.endsWith(' ') || line === '' ? '' : words.pop()!;
    // get_cmd_arg_num(): which argument the cursor is in (0 = the command).
    const arg = words.length;
    const hits = (list: Iterable<string>): [string[], string] => [[...list].filter((c) => c.startsWith(current)), current];
    if (arg === 0) return [COMMANDS.map((c) => c.name).filter((n) => n.startsWith(current.toLowerCase())), current];
    const l = lookup(words[0]!);
    if (l.kind !== 'found') return [[], current];
    switch (l.command.complete) {
      case 'network_id':
        return arg === 1 ? hits(sortedIds(this.networks)) : [[], current];
      case 'network':
        if (arg === 1) return hits(sortedIds(this.networks));
        return arg === 2 ? hits(FIELD_NAMES) : [[], current];
      case 'bss':
        return arg === 1 ? hits(this.bsses) : [[], current];
      case 'command':
        return arg === 1 ? hits(COMMANDS.map((c) => c.name)) : [[], current];
      default:
        return [[], current];
    }
  }
}

function sortedIds(ids: Set<string>): string[] {
  return [...ids].sort((a, b) => Number(a) - Number(b));
}
