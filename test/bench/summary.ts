/**
 * The one table `npm run bench` ends with: every goal of the performance
 * issue as a row, the measured value, the yardstick it is judged against
 * (measured in the same run), the ratio and the goal. Printed, never
 * asserted.
 */
import { loadavg } from 'node:os';

export interface SummaryRow {
  what: string;
  value: number;
  unit: string;
  /** The yardstick's name and value, measured in the same run; none for absolute goals. */
  yardstick?: { name: string; value: number };
  /** The goal in words, e.g. "<= 1.3x"; `met` tells whether it was reached (none: a row shown for context). */
  goal: string;
  met?: boolean;
}

const rows: SummaryRow[] = [];

export function addSummaryRow(row: SummaryRow): void {
  rows.push(row);
}

/** The goal's bound as the table prints it: 1.0x, 1.3x, 0.97x. */
const ratioTxt = (n: number): string => (Number.isInteger(n) ? n.toFixed(1) : String(n));

/**
 * A row whose goal is a ratio to its yardstick: the goal's words and whether
 * it was met both come from the one bound, so the two cannot disagree.
 */
export function addRatioRow(row: Omit<SummaryRow, 'goal' | 'met' | 'yardstick'> & { yardstick: { name: string; value: number } }, bound: { atMost: number } | { atLeast: number }): void {
  const limit = row.yardstick.value * ('atMost' in bound ? bound.atMost : bound.atLeast);
  rows.push(
    'atMost' in bound
      ? { ...row, goal: `<= ${ratioTxt(bound.atMost)}x`, met: row.value <= limit }
      : { ...row, goal: `>= ${ratioTxt(bound.atLeast)}x`, met: row.value >= limit },
  );
}

const num = (n: number): string => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(1));

export function printSummary(): void {
  if (rows.length === 0) return;
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`\n== summary (${new Date().toISOString().slice(0, 10)}, load average ${load}) ==`);
  const head = ['', 'measured', 'yardstick (same run)', 'ratio', 'goal', ''];
  const body = rows.map((r) => [
    r.what,
    `${num(r.value)} ${r.unit}`,
    r.yardstick ? `${r.yardstick.name} ${num(r.yardstick.value)} ${r.unit}` : '',
    r.yardstick ? `${(r.value / r.yardstick.value).toFixed(2)}x` : '',
    r.goal,
    r.met === undefined ? '' : r.met ? 'met' : 'NOT met',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
}

