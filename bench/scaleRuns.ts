import { atlasRun, measureScale, tightRun, type ScaleResult, type ScaleRun } from './scale.js';
import { table } from './table.js';

/** The standard runs: 100 and 500 (and with `large`, 2,000) at Atlas's documented limits, then 100 on a tight bucket. */
export function scaleRuns(large: boolean): ScaleRun[] {
  return [atlasRun(100), atlasRun(500), ...(large ? [atlasRun(2000)] : []), tightRun(100)];
}

/** One after another (they share the process's local environment); wall time goes to `progress`, not the table. */
export async function measureScaleRuns(runs: ScaleRun[], progress: (line: string) => void = () => undefined): Promise<ScaleResult[]> {
  const results: ScaleResult[] = [];
  for (const run of runs) {
    const result = await measureScale(run);
    progress(`  ${run.name}: ${result.wallSeconds.toFixed(1)} s of wall time`);
    results.push(result);
  }
  return results;
}

/** The scale table: simulated results only, so two runs print the same text. */
export function scaleTable(results: ScaleResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) {
    // One line per kind of failure: project ids differ, the reason does not.
    for (const reason of r.failureReasons) {
      const key = `${r.row.run}: ${reason.replace(/[0-9a-f]{24}/g, '…')}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [table(results.map((r) => r.row)), ...[...counts].map(([reason, n]) => `  ${n} not succeeded, ${reason}`)].join('\n');
}
