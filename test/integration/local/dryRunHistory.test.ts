import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from '../../../local/simulator/index.js';
import { ADMIN_KEY, STAGING, defaultWorld } from '../atlas/helpers.js';
import { runCli } from './inProcess.js';

/**
 * `run --dry-run` "runs every check without creating anything": not even a line in the local
 * restore history that `history` counts. A dry run that fails (no such snapshot) or is refused (a
 * held target) writes no record; the real run refused the same way does, which shows the test
 * reads the file the CLI writes.
 */

describe('run --dry-run and the local restore history', () => {
  let sim: SimulatorHandle;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulator(defaultWorld(), { clock: { scale: 600 } });
    env = { MONGODB_ATLAS_BASE_URL: sim.baseUrl, MONGODB_ATLAS_PUBLIC_API_KEY: ADMIN_KEY.publicKey, MONGODB_ATLAS_PRIVATE_API_KEY: ADMIN_KEY.privateKey };
  });
  afterAll(async () => sim?.stop());

  const records = (file: string): { restoreId: string; outcome: string }[] =>
    existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { records: { restoreId: string; outcome: string }[] }).records : [];

  it('a dry run that fails or is refused writes no record; the real refused run writes one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dry-history-'));
    const historyFile = join(dir, 'history.json');
    const holdsFile = join(dir, 'holds.json');
    const files = ['--history-file', historyFile, '--holds-file', holdsFile];

    const failed = await runCli(['run', '--plan', 'nightly-staging', '--dry-run', '--snapshot', '0123456789abcdef01234567', '--restore-id', 'dry-bad-snapshot', ...files], env);
    expect(failed.code, failed.stdout + failed.stderr).toBe(1);
    expect(records(historyFile)).toEqual([]);

    const held = await runCli(['hold', '--target', `${STAGING}/staging-cluster`, '--for', '4h', '--reason', 'schema migration', '--holds-file', holdsFile]);
    expect(held.code, held.stderr).toBe(0);
    const refused = await runCli(['run', '--plan', 'nightly-staging', '--dry-run', '--restore-id', 'dry-held', ...files], env);
    expect(refused.stderr).toContain('RestoreRefused');
    expect(records(historyFile)).toEqual([]);

    const real = await runCli(['run', '--plan', 'nightly-staging', '--yes', '--skip-steps', '--restore-id', 'real-held', ...files], env);
    expect(real.stderr).toContain('RestoreRefused');
    expect(records(historyFile).map((r) => [r.restoreId, r.outcome])).toEqual([['real-held', 'REFUSED']]);
    expect(sim.jobs()).toEqual([]);
  }, 240_000);
});
