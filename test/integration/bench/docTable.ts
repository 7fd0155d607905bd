import { readFileSync } from 'node:fs';

/**
 * The rows of the table in `doc` (a path from the repository root, e.g. docs/benchmarks.md) whose
 * header line starts with `header`, as trimmed cells keyed by the first cell (the row's name).
 * Throws when the table is gone: a renamed header or a moved table must fail the test, not empty it.
 */
export function docTable(doc: string, header: string): Map<string, string[]> {
  const lines = readFileSync(new URL(`../../../${doc}`, import.meta.url), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  if (start < 0) throw new Error(`${doc} has no table starting ${header}`);
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    rows.set(cells[0]!, cells.slice(1));
  }
  return rows;
}

/** A number as the docs write it: whole numbers with thousands separators, others to 2 decimals. */
export const docNumber = (n: number): string => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(2));
