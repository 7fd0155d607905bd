import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { buildRestoreApp } from '../../../lib/app.js';
import { HANDLER_NAMES, type HandlerName } from '../../../lib/functions.js';
import { fixturePlans } from '../helpers.js';

/**
 * Run by bundled-synth.ts in its own process: a synth that really bundles, as `cdk synth` does.
 * CDK and esbuild write their progress straight to this process's stdout and stderr, which the
 * parent captures, so it never lands in the test runner's output. Writes `bundles.json` (handler
 * name → its asset directory) into the outdir given as the only argument.
 */
const outdir = process.argv[2];
if (!outdir) throw new Error('usage: bundled-synth-child.ts OUTDIR');

const { app, stack } = buildRestoreApp({ plansConfig: fixturePlans, outdir, nag: false });
app.synth();
const resources = JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.template.json`), 'utf8')).Resources as Record<
  string,
  { Properties: { Code?: { S3Key?: string } } }
>;
const bundles = {} as Record<HandlerName, string>;
for (const name of HANDLER_NAMES) {
  const logicalId = stack.resolve(stack.getLogicalId(stack.functions.byName(name).node.defaultChild as CfnElement)) as string;
  const key = resources[logicalId]?.Properties.Code?.S3Key;
  if (!key) throw new Error(`no code asset for ${name} (${logicalId})`);
  bundles[name] = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
}
writeFileSync(join(outdir, 'bundles.json'), JSON.stringify(bundles));
