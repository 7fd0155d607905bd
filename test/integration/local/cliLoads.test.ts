import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool } from './childProcess.js';

/**
 * Commands that do not synth load no CDK: `demo` and `run` build the state machine (aws-cdk-lib) and
 * run it (aws-local-stepfunctions); every other command, every help page and every usage mistake
 * must answer without loading either, which takes seconds (local/program.ts imports those two
 * commands inside their actions). The CLI runs as a child process with a hook that records every
 * module it resolves (./recordImports.ts).
 */

const HEAVY = ['aws-cdk-lib', 'aws-local-stepfunctions'];
const dir = mkdtempSync(join(tmpdir(), 'cli-loads-'));
const files = { history: join(dir, 'history.json'), holds: join(dir, 'holds.json') };
const API = 'http://127.0.0.1:9/v1/'; // nothing listens: the command runs, then fails to connect
const AWS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', AWS_REGION: 'eu-west-1' };
const NO_ATLAS_KEYS = { MONGODB_ATLAS_PUBLIC_API_KEY: '', MONGODB_ATLAS_PRIVATE_API_KEY: '', MONGODB_ATLAS_CLIENT_ID: '', MONGODB_ATLAS_CLIENT_SECRET: '' };

async function heavyLoaded(args: string[], env: Record<string, string> = {}) {
  const { code, stderr, imports } = await runTool('local/cli.ts', args, { env: { CI: 'true', NO_COLOR: '1', ATLAS_RESTORE_API_URL: '', ...env }, recordImports: true });
  const loaded = HEAVY.filter((name) => imports!.some((url) => url.includes(`/node_modules/${name}/`)));
  return { code, stderr, loaded, ours: imports!.filter((url) => url.includes('/local/')).length };
}

describe('commands that do not synth load no CDK and no local Step Functions', () => {
  it.each([
    [['--help'], 0, {}],
    [['run', '--help'], 0, {}],
    [['history', '--history-file', files.history], 0, {}],
    [['history', '--api', API, '--plan', 'nightly-staging'], 1, AWS],
    [['hold', '--target', '65f1a0000000000000000002/staging-cluster', '--for', '1h', '--reason', 'x', '--holds-file', files.holds], 0, {}],
    [['holds', '--holds-file', files.holds], 0, {}],
    [['alerts', 'check', '--project', '65f1a0000000000000000001', '--url', 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1/alerts'], 1, NO_ATLAS_KEYS],
    [['remote', 'holds', '--api', API], 1, AWS],
    [['run'], 2, {}],
    [['run', '--plan', 'nightly-staging', '--snapshot', 'xyz'], 2, {}],
    [['frobnicate'], 2, {}],
  ] as const)('%j exits %i without them', async (args, exitCode, env) => {
    const { code, stderr, loaded, ours } = await heavyLoaded([...args], env);
    expect(code, stderr).toBe(exitCode);
    expect(ours).toBeGreaterThan(0); // the recorder saw the CLI's own modules
    expect(loaded).toEqual([]);
  }, 60_000);

  it('run loads both (the recorder sees them when they are loaded)', async () => {
    const { code, stderr, loaded } = await heavyLoaded(['run', '--plan', 'nope']);
    expect(code).toBe(2);
    expect(stderr).toContain('no such plan');
    expect(loaded).toEqual(HEAVY);
  }, 60_000);
});
