import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthBundles } from '../../../bench/synthBundles.js';
import { quietBundling } from '../../../lib/quiet-bundling.js';
import { fixturePlans } from '../helpers.js';

/**
 * Run by bundled-synth.ts in its own process: a synth that really bundles, as `cdk synth` does.
 * CDK and esbuild write their progress straight to this process's stdout and stderr, which the
 * parent captures, so it never lands in the test runner's output. Writes `bundles.json` (handler
 * name → its asset directory) into the outdir given as the only argument.
 */
const outdir = process.argv[2];
if (!outdir) throw new Error('usage: bundled-synth-child.ts OUTDIR');

// As bin/app.ts does, so what this process prints is what `cdk synth` prints.
quietBundling();
const bundles = synthBundles(fixturePlans, outdir);
writeFileSync(join(outdir, 'bundles.json'), JSON.stringify(bundles));
