import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { buildRestoreApp, type RestoreAppOptions } from '../lib/app.js';
import { HANDLER_NAMES, type HandlerName } from '../lib/functions.js';

/**
 * A synth that really bundles, as `cdk synth` does, into `outdir`: each handler's asset directory
 * (its bundle, `index.mjs`), found through the template's code asset key. Used by the cold-start
 * benchmark and by the test that checks what the bundles leave out.
 */
export function synthBundles(plansConfig: RestoreAppOptions['plansConfig'], outdir: string): Record<HandlerName, string> {
  const { app, stack } = buildRestoreApp({ plansConfig, outdir, nag: false });
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
  return bundles;
}
