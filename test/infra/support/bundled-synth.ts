import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { HandlerName } from '../../../lib/functions.js';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./bundled-synth-child.ts', import.meta.url));

export interface BundledSynth {
  /** The asset directory of each handler's bundle (index.mjs and its map). */
  bundles: Record<HandlerName, string>;
  /** What CDK and esbuild printed while bundling, kept here instead of in the test runner's output. */
  output: string;
}

/**
 * The fixture stack synthesised with real bundling (esbuild, no Docker) in a child process. CDK
 * writes "Bundling asset ..." to stderr itself and esbuild prints its summary from its own process,
 * neither with an off switch that would leave `cdk synth` unchanged for users, so the only quiet way
 * to bundle inside a test is a process whose output the test holds.
 */
export async function synthesizeWithBundles(): Promise<BundledSynth> {
  const outdir = mkdtempSync(join(tmpdir(), 'bundle-'));
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', CHILD, outdir], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    const bundles = JSON.parse(readFileSync(join(outdir, 'bundles.json'), 'utf8')) as Record<HandlerName, string>;
    return { bundles, output: stdout + stderr };
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    // The captured output is the only account of what went wrong: hand it on rather than lose it.
    throw new Error(`bundling synth failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}
