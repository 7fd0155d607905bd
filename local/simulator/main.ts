import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { exitWith, parseCommandLine, UsageError } from '../commandLine.js';
import { startSimulator } from './index.js';
import { WorldInvalidError } from './world.js';

/**
 * `npm run simulator -- [--world file] [--port n] [--scale n | --manual] [--seed n]`
 * Prints the base URL as the first line on stdout, then one line per request on stderr.
 * SIGINT / SIGTERM stop it cleanly. A usage mistake is one line and exit 2, like the other tools.
 */

const DEFAULT_WORLD = fileURLToPath(new URL('./worlds/default.json', import.meta.url));

// The options as docs/simulator.md lists them (a test holds the two together).
const USAGE = `usage: npm run simulator -- [--world file.json] [--port 0] [--scale 1 | --manual] [--seed 1]
  --world <file>  the world to load (JSON; default local/simulator/worlds/default.json)
  --port <n>      port on 127.0.0.1, 0-65535 (default 0: any free port)
  --scale <n>     simulated seconds per real second, more than 0 (default 1)
  --manual        manual clock instead of a scaled one: POST /__sim/advance?ms=N moves it
  --seed <n>      seeds fault draws and generated ids, a whole number (default 1)

Examples:
  $ npm run simulator -- --scale 60
  $ npm run simulator -- --world my-world.json --port 8090 --seed 42
  $ npm run simulator -- --manual

Environment: none
`;

function readOptions(argv: string[]) {
  const { values } = parseCommandLine(argv, {
    positionals: false,
    options: {
      world: { type: 'string', default: DEFAULT_WORLD },
      port: { type: 'string', default: '0' },
      scale: { type: 'string', default: '1' },
      manual: { type: 'boolean', default: false },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const port = Number(values.port);
  const scale = Number(values.scale);
  const seed = Number(values.seed);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new UsageError(`--port ${values.port}: must be a port number, 0-65535 (0: any free port)`);
  if (!(scale > 0) || !Number.isFinite(scale)) throw new UsageError(`--scale ${values.scale}: must be a number of simulated seconds per real second, more than 0`);
  if (values.scale !== '1' && values.manual) throw new UsageError('--scale and --manual: give one of them (a manual clock has no scale)');
  if (!/^-?\d+$/.test(values.seed)) throw new UsageError(`--seed ${values.seed}: must be a whole number`);
  return { world: values.world, port, scale, seed, manual: values.manual, help: values.help };
}

/** The world file, or one line naming it and what is wrong (exit 1). */
async function readWorld(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the world file ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); --world names another`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not a simulator world: not valid JSON (${(error as Error).message}); fix it, or start from local/simulator/worlds/default.json`);
  }
}

async function main(argv: string[]): Promise<number> {
  const options = readOptions(argv);
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const world = await readWorld(options.world);
  const sim = await startSimulator(world as Parameters<typeof startSimulator>[0], {
    port: options.port,
    seed: options.seed,
    clock: options.manual ? 'manual' : { scale: options.scale },
    log: (line) => process.stderr.write(`${line}\n`),
  }).catch((error: unknown) => {
    // The world's own rules, said in one line with the file they are about.
    if (error instanceof WorldInvalidError) throw new Error(`${options.world}: ${error.message.replace(/\n\s*/g, ' ')}`);
    throw error;
  });
  process.stdout.write(`${sim.baseUrl}\n`);
  process.stderr.write(
    `Atlas simulator on ${sim.baseUrl} (world ${options.world}, clock ${options.manual ? 'manual (POST /__sim/advance?ms=N)' : `×${options.scale}`}, seed ${options.seed})\n`,
  );

  // Serves until a signal: then the exit code says whether it stopped cleanly.
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`${signal}: stopping\n`);
      sim.stop().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

exitWith(main(process.argv.slice(2)), 'see npm run simulator -- --help');
