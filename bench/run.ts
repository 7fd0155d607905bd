import '../local/quiet.js';
import { writeFileSync } from 'node:fs';
import { exitWith, parseCommandLine, UsageError } from '../local/commandLine.js';
import { measureColdStarts } from './coldStart.js';
import { measurePolling } from './polling.js';
import { measureScale } from './scale.js';

/**
 * `npm run bench`: polling cost, cold starts, scale. Prints tables and writes bench/results.json.
 * Numbers, never assertions: the tests check behaviour, this shows speed and cost.
 */

const USAGE = `usage: npm run bench -- [--skip polling|cold|scale]... [--workflows N] [--runs N] [--out FILE]
  --skip       leave out a measurement (repeatable): polling, cold (cold starts) or scale
  --workflows  concurrent workflows in the scale measurement (default 100)
  --runs       fresh node processes per handler in the cold-start measurement (default 15)
  --out        where to write the results as JSON (default bench/results.json)
`;
const SKIPPABLE = ['polling', 'cold', 'scale'];

/** The options, checked before anything is measured; a mistake is one line and exit 2. */
function readOptions(argv: string[]) {
  const { values } = parseCommandLine(argv, {
    positionals: false,
    options: {
      workflows: { type: 'string', default: '100' },
      runs: { type: 'string', default: '15' },
      skip: { type: 'string', multiple: true, default: [] },
      out: { type: 'string', default: 'bench/results.json' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  for (const name of ['workflows', 'runs'] as const) {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a whole number of at least 1, got ${values[name]}`);
  }
  const unknown = values.skip.find((s) => !SKIPPABLE.includes(s));
  if (unknown !== undefined) throw new UsageError(`--skip ${unknown}: must be one of ${SKIPPABLE.join(', ')}`);
  return values;
}


function table(rows: object[]): string {
  if (rows.length === 0) return '';
  const keys = Object.keys(rows[0]!);
  const cell = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v));
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell((r as Record<string, unknown>)[k]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(keys), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(keys.map((k) => cell((r as Record<string, unknown>)[k]))))].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const values = readOptions(argv);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const results: Record<string, unknown> = { measuredAt: new Date().toISOString(), node: process.version, platform: `${process.platform}-${process.arch}` };

  if (!values.skip.includes('polling')) {
    const polling = measurePolling();
    results.polling = polling;
    console.log('\nPolling: cost of waiting for one restore\n');
    console.log(table(polling));
  }

  if (!values.skip.includes('cold')) {
    console.log('\nCold start: bundles as CDK builds them, median time to load in a fresh node process\n');
    const cold = measureColdStarts(Number(values.runs));
    results.coldStart = cold;
    console.log(table(cold.map((r) => ({ handler: r.handler, kB: Math.round(r.bytes / 1024), medianMs: r.medianMs, timesBareNode: r.timesBare }))));
  }

  if (!values.skip.includes('scale')) {
    const n = Number(values.workflows);
    console.log(`\nScale: ${n} concurrent workflows against the simulator, rate limits on\n`);
    const scale = await measureScale(n);
    results.scale = scale;
    console.log(table([{ ...scale, failed: JSON.stringify(scale.failed), rateLimit: `${scale.rateLimit.capacity} burst, ${scale.rateLimit.refillPerSecond}/s per project` }]));
  }

  writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nWrote ${values.out}`);
  return 0;
}

// A usage mistake: one line and exit 2; a measurement that fails: one line and exit 1. Never a stack.
exitWith(main(process.argv.slice(2)), 'see npm run bench -- --help');
