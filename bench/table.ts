/** A plain-text table, one row per object, columns in the first row's key order; numbers to 2 decimals. */
export function table(rows: object[]): string {
  if (rows.length === 0) return '';
  const keys = Object.keys(rows[0]!);
  const cell = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v));
  const at = (r: object, k: string) => cell((r as Record<string, unknown>)[k]);
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => at(r, k).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(keys), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(keys.map((k) => at(r, k))))].join('\n');
}
