import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSimulator } from './index.js';

/**
 * `npm run simulator -- [--world file] [--port n] [--scale n | --manual] [--seed n]`
 * Prints the base URL as the first line on stdout, then one line per request on stderr.
 * SIGINT / SIGTERM stop it cleanly.
 */

const DEFAULT_WORLD = fileURLToPath(new URL('./worlds/default.json', import.meta.url));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      world: { type: 'string', default: DEFAULT_WORLD },
      port: { type: 'string', default: '0' },
      scale: { type: 'string', default: '1' },
      manual: { type: 'boolean', default: false },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('usage: npm run simulator -- [--world file.json] [--port 0] [--scale 60 | --manual] [--seed 1]\n');
    return;
  }
  const port = Number(values.port);
  const scale = Number(values.scale);
  const seed = Number(values.seed);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got ${values.port}`);
  if (!(scale > 0)) throw new Error(`--scale must be a positive number, got ${values.scale}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);

  const world: unknown = JSON.parse(await readFile(values.world, 'utf8'));
  const sim = await startSimulator(world as Parameters<typeof startSimulator>[0], {
    port,
    seed,
    clock: values.manual ? 'manual' : { scale },
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${sim.baseUrl}\n`);
  process.stderr.write(
    `Atlas simulator on ${sim.baseUrl} (world ${values.world}, clock ${values.manual ? 'manual (POST /__sim/advance?ms=N)' : `×${scale}`}, seed ${seed})\n`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: stopping\n`);
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
