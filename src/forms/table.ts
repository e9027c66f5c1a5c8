// A result table (XEP-0004 §3.4) as lines of text, for chat and for clients that show no <reported/> table.
import type { Table } from './types.js';

/** A result table as text: the columns' labels, then a row a line, each column padded to its widest cell. */
export function tableLines(t: Table): string[] {
  const cells = [t.columns.map((c) => c.label), ...t.rows.map((r) => t.columns.map((c) => r[c.var] ?? ''))];
  const widths = t.columns.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  return cells.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
