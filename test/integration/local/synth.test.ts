import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool } from './childProcess.js';

/**
 * `cdk synth` runs bin/app.ts (cdk.json) and shows what it prints: the app as a child process, given
 * context the way the CDK CLI gives it (CDK_CONTEXT_JSON), bundling skipped.
 */

const dir = mkdtempSync(join(tmpdir(), 'synth-'));

const synth = (context: Record<string, unknown>, outdir = join(dir, 'out')) =>
  runTool('bin/app.ts', [], { env: { CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [], ...context }), CDK_OUTDIR: outdir }, timeoutMs: 240_000 });

describe('synth errors as people read them', () => {
  it('a bad context value: one line naming the key, exit 2', async () => {
    const { code, stderr } = await synth({ alarmEmail: 'not-an-email' });
    expect(stderr).toBe(
      'error: Context value "alarmEmail" must be one email address such as dba@example.com; got "not-an-email" (cdk synth -c alarmEmail=...)\n',
    );
    expect(code).toBe(2);
  }, 240_000);

  it('a bad plan: one line naming the file, the plan and the field, exit 2', async () => {
    const file = join(dir, 'plans.json');
    const plan = {
      name: 'nightly',
      source: { kind: 'cloud', groupId: 'a'.repeat(24), clusterName: 'prod' },
      restore: { type: 'snapshot', target: { groupId: 'b'.repeat(24), clusterName: 'staging' } },
      triggers: { schedule: { cron: 'cron(61 3 * * ? *)' } },
    };
    writeFileSync(file, JSON.stringify({ plans: [plan] }));
    const { code, stderr } = await synth({ plansFile: file });
    expect(stderr).toBe(
      `error: Invalid plans config (${file}): plan "nightly" triggers.schedule.cron: cron(61 3 * * ? *): Number '61' of minutes field is bigger than upper limit '59'\n`,
    );
    expect(code).toBe(2);
  }, 240_000);

  it('synth itself failing: one line, no stack trace, exit 1', async () => {
    const notADirectory = join(dir, 'a-file');
    writeFileSync(notADirectory, '');
    const { code, stderr } = await synth({}, notADirectory);
    expect(stderr).toMatch(/^error: synth failed: .+\n$/);
    expect(stderr.split('\n')).toHaveLength(2);
    expect(code).toBe(1);
  }, 240_000);
});
