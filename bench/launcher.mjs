// The cold-start launcher: a small parent (plain node, no dependencies) that starts bare node and
// each bundle in turn, round after round, and times each start from here. Timing from the bench's
// own process (a CDK synth, ~500 MiB resident) would make every start look slower, bare node most.
//
// usage: node bench/launcher.mjs <rounds> <empty.mjs> <bundle.mjs>...
// prints JSON: { "<file>": [ms per round], ... } with the empty module (bare node) first.
import { spawnSync } from 'node:child_process';

const [roundsArg, ...files] = process.argv.slice(2);
const rounds = Number(roundsArg);
if (!Number.isInteger(rounds) || rounds < 1 || files.length < 2) {
  process.stderr.write('usage: node launcher.mjs <rounds> <empty.mjs> <bundle.mjs>...\n');
  process.exit(2);
}

function start(file) {
  const begin = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [file], { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - begin) / 1e6;
  if (run.status !== 0) throw new Error(`${file} exited ${run.status}: ${String(run.stderr).slice(0, 500)}`);
  return ms;
}

const times = Object.fromEntries(files.map((f) => [f, []]));
for (let r = 0; r < rounds; r++) {
  // Interleaved, and the order turns each round, so no file always goes first or after the same one.
  for (let i = 0; i < files.length; i++) {
    const file = files[(i + r) % files.length];
    times[file].push(start(file));
  }
}
process.stdout.write(JSON.stringify(times));
