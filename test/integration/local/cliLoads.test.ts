import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool } from './childProcess.js';

/**
 * Commands that do not synth load no CDK: `demo`, `run` and `serve` build the state machine
 * (aws-cdk-lib) and run it (aws-local-stepfunctions); every other command, every help page and every
 * usage mistake must answer without loading either, which takes seconds (local/program.ts imports
 * those three commands inside their actions). The CLI runs as a child process with a hook that
 * records every module it resolves (./recordImports.ts).
 */

const HEAVY = ['aws-cdk-lib', 'aws-local-stepfunctions'];
const dir = mkdtempSync(join(tmpdir(), 'cli-loads-'));
const files = { history: join(dir, 'history.json'), holds: join(dir, 'holds.json') };
const API = 'http://127.0.0.1:9/v1/'; // nothing listens: the command runs, then fails to connect
const AWS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', AWS_REGION: 'eu-west-1' };
const NO_ATLAS_KEYS = { MONGODB_ATLAS_PUBLIC_API_KEY: '', MONGODB_ATLAS_PRIVATE_API_KEY: '', MONGODB_ATLAS_CLIENT_ID: '', MONGODB_ATLAS_CLIENT_SECRET: '' };

async function heavyLoaded(args: string[], env: Record<string, string> = {}, script = 'local/cli.ts') {
  const { code, stdout, stderr, imports } = await runTool(script, args, { env: { CI: 'true', NO_COLOR: '1', ATLAS_RESTORE_API_URL: '', ...env }, recordImports: true });
  const loaded = HEAVY.filter((name) => imports!.some((url) => url.includes(`/node_modules/${name}/`)));
  return { code, stdout, stderr, loaded, ours: imports!.filter((url) => url.includes('/local/')).length };
}

describe('commands that do not synth load no CDK and no local Step Functions', () => {
  // Each also a child-process smoke of its command (the exit code and the first thing it prints);
  // cli.test.ts checks the same commands in depth, in process.
  const held = '65f1a0000000000000000002/staging-cluster';
  it.each([
    [['--help'], 0, {}, /^Usage: restore <command> \[options\]/],
    [['run', '--help'], 0, {}, /^Usage: restore run \[options\]/],
    [['serve', '--help'], 0, {}, /^Usage: restore serve \[options\]/],
    [['history', '--history-file', files.history], 0, {}, /^started +plan +drill +outcome/],
    [['history', '--api', API, '--plan', 'nightly-staging'], 1, AWS, /^error: connect ECONNREFUSED 127\.0\.0\.1:9\n$/],
    [['hold', '--target', held, '--for', '1h', '--reason', 'x', '--holds-file', files.holds], 0, {}, /^Held: cluster "staging-cluster"/],
    [['holds', '--holds-file', files.holds], 0, {}, /cluster "staging-cluster" in project 65f1a0000000000000000002 held by /],
    [['release', '--target', held, '--holds-file', files.holds], 0, {}, /^Released: cluster "staging-cluster"/],
    [['alerts', 'check', '--project', '65f1a0000000000000000001', '--url', 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1/alerts'], 1, NO_ATLAS_KEYS, /^error: Atlas credentials in the environment \(MONGODB_ATLAS_\*\) are not usable: /],
    [['remote', 'holds', '--api', API], 1, AWS, /^error: connect ECONNREFUSED 127\.0\.0\.1:9\n$/],
    [['run'], 2, {}, /^error: run needs --plan <name> \(see npm run restore -- run --help\)\n$/],
    [['run', '--plan', 'nightly-staging', '--snapshot', 'xyz'], 2, {}, /^error: --snapshot xyz: must be a 24-character lowercase hex id \(see npm run restore -- run --help\)\n$/],
    [['frobnicate'], 2, {}, /^error: unknown command 'frobnicate' \(see npm run restore -- --help\)\n$/],
    [['reports'], 2, {}, /^error: reports needs a command: replay \(see npm run restore -- reports --help\)\n$/],
  ] as const)('%j exits %i without them', async (args, exitCode, env, says) => {
    const { code, stdout, stderr, loaded, ours } = await heavyLoaded([...args], env);
    expect(code, stderr).toBe(exitCode);
    expect(exitCode === 0 ? stdout : stderr).toMatch(says);
    if (exitCode !== 0) expect(stderr.trimEnd().split('\n'), stderr).toHaveLength(1); // one line, never a stack
    expect(ours).toBeGreaterThan(0); // the recorder saw the CLI's own modules
    expect(loaded).toEqual([]);
  }, 60_000);

  it('nor does the bench to print its usage or refuse an option', async () => {
    for (const [args, exitCode] of [
      [['--help'], 0],
      [['--skip', 'everything'], 2],
    ] as const) {
      const { code, stderr, loaded, ours } = await heavyLoaded([...args], {}, 'bench/run.ts');
      expect(code, stderr).toBe(exitCode);
      expect(ours).toBeGreaterThan(0);
      expect(loaded).toEqual([]);
    }
  }, 60_000);

  it('run loads both (the recorder sees them when they are loaded)', async () => {
    const { code, stderr, loaded } = await heavyLoaded(['run', '--plan', 'nope']);
    expect(code).toBe(2);
    expect(stderr).toContain('no such plan');
    expect(loaded).toEqual(HEAVY);
  }, 60_000);
});
