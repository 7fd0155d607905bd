import '../local/quiet.js';
import { accessSync, constants, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exitWith, parseCommandLine, UsageError } from '../local/commandLine.js';
import { table } from './table.js';

/**
 * `npm run bench`: polling cost, cold starts, scale. Prints tables and writes bench/results.json.
 * Numbers, never assertions: the tests check behaviour, this shows speed and cost. The measurements
 * (CDK, the local Step Functions engine, the simulator) are loaded once the options are read, so
 * --help and a usage mistake answer at once.
 */

const USAGE = `usage: npm run bench -- [--skip polling|cold|scale]... [--large] [--workflows N] [--runs N] [--out FILE]
  --skip       leave out a measurement (repeatable): polling (with push and the backstop trade), cold (cold starts) or scale
  --large      add the scale run of 2,000 restores (minutes of wall time)
  --workflows  instead of the standard scale runs, one run of N restores at Atlas's limits
  --runs       cold-start rounds, each starting bare node and every bundle once (default 15)
  --out        where to write the results as JSON (default bench/results.json)
`;
const SKIPPABLE = ['polling', 'cold', 'scale'];

/** The options, checked before anything is measured; a mistake is one line and exit 2. */
function readOptions(argv: string[]) {
  const { values } = parseCommandLine(argv, {
    positionals: false,
    options: {
      workflows: { type: 'string' },
      large: { type: 'boolean', default: false },
      runs: { type: 'string', default: '15' },
      skip: { type: 'string', multiple: true, default: [] },
      out: { type: 'string', default: 'bench/results.json' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  for (const name of ['workflows', 'runs'] as const) {
    if (values[name] === undefined) continue;
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a whole number of at least 1, got ${values[name]}`);
  }
  const unknown = values.skip.find((s) => !SKIPPABLE.includes(s));
  if (unknown !== undefined) throw new UsageError(`--skip ${unknown}: must be one of ${SKIPPABLE.join(', ')}`);
  return values;
}

async function main(argv: string[]): Promise<number> {
  const values = readOptions(argv);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  // Minutes of measuring are not spent on results that could not be written (ENOTDIR, EACCES: exit 1).
  accessSync(dirname(values.out), constants.W_OK);
  const results: Record<string, unknown> = { measuredAt: new Date().toISOString(), node: process.version, platform: `${process.platform}-${process.arch}` };

  if (!values.skip.includes('polling')) {
    const [{ measurePolling }, { measureBackstopTrade, measurePush }] = await Promise.all([import('./polling.js'), import('./push.js')]);
    const polling = measurePolling();
    results.polling = polling;
    console.log('\nPolling: cost of waiting for one restore\n');
    console.log(table(polling));
    const push = await measurePush();
    results.push = push;
    console.log('\nPush completion beside polling: one restore of each length, run through the workflow against the simulator\n');
    console.log(table(push));
    const trade = await measureBackstopTrade();
    results.backstopTrade = trade;
    console.log('\nThe backstop trade for a 24 h restore: Atlas calls while alerts arrive against the bound when they are lost\n');
    console.log(table(trade));
  }

  if (!values.skip.includes('cold')) {
    const { measureColdStarts } = await import('./coldStart.js');
    const rounds = Number(values.runs);
    console.log(`\nCold start: bundles as CDK builds them and each one's floor, started by a small launcher interleaved with bare node;\nmedians of ${rounds} rounds (times: median of per-round ratios)\n`);
    const cold = measureColdStarts(rounds);
    results.coldStart = cold;
    console.log(table(cold.rows.map((r) => ({ ...r, timesFloor: r.timesFloor ?? '', holds: r.holds ?? '' }))));
  }

  if (!values.skip.includes('scale')) {
    const [{ atlasRun }, { measureScaleRuns, scaleRuns, scaleTable }] = await Promise.all([import('./scale.js'), import('./scaleRuns.js')]);
    const runs = values.workflows !== undefined ? [atlasRun(Number(values.workflows))] : scaleRuns(values.large);
    console.log(`\nScale: restores started at once over several projects, on a virtual clock (the same numbers every run)\n`);
    const scale = await measureScaleRuns(runs, (line) => process.stderr.write(`${line}\n`));
    results.scale = scale;
    console.log(scaleTable(scale));
  }

  writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nWrote ${values.out}`);
  return 0;
}

// A usage mistake: one line and exit 2; a measurement that fails: one line and exit 1. Never a stack.
exitWith(main(process.argv.slice(2)), 'see npm run bench -- --help');
