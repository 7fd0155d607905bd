import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRestoreApp } from '../lib/app.js';
import { HANDLER_NAMES, PROJECT_ROOT, type HandlerName } from '../lib/functions.js';
import { loadPlansFile } from '../lib/plans.js';

/**
 * Each handler bundled exactly as `cdk synth` bundles it (esbuild through NodejsFunction, minified
 * ESM, @aws-sdk/* left to the runtime), then loaded in a fresh Node process many times: the median
 * wall time to import it, beside a bare `node` start. The bundles are copied under the project so
 * their `@aws-sdk/*` imports resolve from node_modules, as the Lambda runtime provides them.
 */

export interface ColdStartRow {
  handler: HandlerName | 'bare node';
  bytes: number;
  medianMs: number;
  timesBare: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeNode(args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, args, { stdio: 'ignore', env: { ...process.env, POWERTOOLS_SERVICE_NAME: 'bench' } });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

export function measureColdStarts(runs = 15): ColdStartRow[] {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-cdk-'));
  const here = join(PROJECT_ROOT, 'bench', '.bundles');
  try {
    const { app, stack } = buildRestoreApp({ plansConfig: loadPlansFile(), outdir, nag: false });
    app.synth();
    const functions = JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.template.json`), 'utf8')).Resources as Record<
      string,
      { Type: string; Properties: { Code?: { S3Key?: string } } }
    >;
    const bare = timeNode(['-e', ''], runs);
    const rows: ColdStartRow[] = [{ handler: 'bare node', bytes: 0, medianMs: bare, timesBare: 1 }];
    for (const name of HANDLER_NAMES) {
      const logicalId = stack.resolve(stack.getLogicalId(stack.functions.byName(name).node.defaultChild as never)) as string;
      const key = functions[logicalId]!.Properties.Code!.S3Key!.replace(/\.zip$/, '');
      const target = join(here, name);
      mkdirSync(target, { recursive: true });
      cpSync(join(outdir, `asset.${key}`, 'index.mjs'), join(target, 'index.mjs'));
      const file = join(target, 'index.mjs');
      const ms = timeNode(['--input-type=module', '-e', `await import(${JSON.stringify(file)})`], runs);
      rows.push({ handler: name, bytes: statSync(file).size, medianMs: ms, timesBare: ms / bare });
    }
    return rows;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(here, { recursive: true, force: true });
  }
}
