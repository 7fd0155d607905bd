import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from '../../../local/simulator/index.js';
import { ADMIN_KEY, STAGING, defaultWorld } from '../atlas/helpers.js';
import { ROOT } from './childProcess.js';
import { runCli } from './inProcess.js';

/**
 * `run` of a plan whose post-restore steps (the staging refresh's masking) have no local stand-in:
 * refused before anything is asked of Atlas, exit 2, naming the steps and the ways on; with
 * --skip-steps it restores and the report and the history say the steps were not run.
 */

const MASKING_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:mask-staging-personal-data';

describe('run --plan with post-restore steps that cannot run on this machine', () => {
  let sim: SimulatorHandle;
  let env: Record<string, string>;
  let dir: string;
  beforeAll(async () => {
    sim = await startSimulator(defaultWorld(), { clock: { scale: 600 } });
    env = { MONGODB_ATLAS_BASE_URL: sim.baseUrl, MONGODB_ATLAS_PUBLIC_API_KEY: ADMIN_KEY.publicKey, MONGODB_ATLAS_PRIVATE_API_KEY: ADMIN_KEY.privateKey };
    dir = mkdtempSync(join(tmpdir(), 'run-steps-'));
  });
  afterAll(async () => sim?.stop());

  it('refuses before anything is created: exit 2, the steps named, remote start and --skip-steps offered, no Atlas call', async () => {
    const history = join(dir, 'refused.json');
    const { code, stdout, stderr } = await runCli(['run', '--plan', 'nightly-staging', '--yes', '--history-file', history], env);
    expect(code).toBe(2);
    expect(stderr).toContain(`Plan nightly-staging has post-restore steps that cannot run on this machine: mask-personal-data (Lambda ${MASKING_ARN})`);
    expect(stderr).toContain('npm run restore -- remote start --api <ApiUrl> --plan nightly-staging');
    expect(stderr).toContain('--skip-steps');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
    expect(sim.jobs()).toEqual([]);
    expect(sim.requests()).toEqual([]);
  }, 60_000);

  it('with --skip-steps restores, and the report and the history say the steps were not run and the data is unverified and unmasked', async () => {
    // The shipped plan polls every 30 s at first; a copy polling every 5 s keeps this test short.
    const plans = JSON.parse(readFileSync(join(ROOT, 'config/plans.json'), 'utf8'));
    plans.plans.find((p: { name: string }) => p.name === 'nightly-staging').poll = { floorSeconds: 5, capSeconds: 30 };
    const file = join(dir, 'plans.json');
    writeFileSync(file, JSON.stringify(plans));
    const history = join(dir, 'history.json');
    const before = sim.cluster(STAGING, 'staging-cluster').dataVersion;
    const { code, stdout, stderr } = await runCli(['run', '--plan', 'nightly-staging', '--yes', '--skip-steps', '--plans', file, '--history-file', history, '--restore-id', 'skipped-1'], env);
    expect(code, stderr).toBe(0);
    expect(sim.jobs()).toHaveLength(1);
    expect(sim.cluster(STAGING, 'staging-cluster').dataVersion).not.toBe(before);
    expect(stdout).toContain('not run: --skip-steps was given, so none of this plan\'s post-restore steps (mask-personal-data) ran on this machine; the restored data is unverified and not masked');
    expect(stdout).toContain('Restored, but the post-restore steps (mask-personal-data) were NOT run (--skip-steps): the data on staging-cluster is unverified and not masked.');
    const { records } = JSON.parse(readFileSync(history, 'utf8')) as { records: { restoreId: string; outcome: string; steps: { name: string; passed: boolean }[] }[] };
    expect(records).toEqual([expect.objectContaining({ restoreId: 'skipped-1', outcome: 'VERIFICATION_FAILED', steps: [expect.objectContaining({ name: 'mask-personal-data', passed: false })] })]);
  }, 120_000);
});
