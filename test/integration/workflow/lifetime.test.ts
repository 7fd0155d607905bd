import { describe, expect, it } from 'vitest';
import { localEnvironment } from '../../../functions/runtime/local.js';
import type { RestoreReport } from '../../../functions/core/notify/message.js';
import { TASK_STATES } from '../../../lib/workflow.js';
import { LambdaStyleError } from '../../../local/runner/execute.js';
import { PROD, STAGING, scheduled, useWorkflowHarness } from './helpers.js';

/**
 * The job-lifetime rule, proved through the synthesised workflow, the real handlers and the
 * simulator: from the create until Atlas says the job ended, the target stays locked and the job
 * watched; every report sent while the job may still run says so; a closing report follows; and
 * after the simulator's clock moves six hours on, no target we reported free has been written to.
 */

const h = useWorkflowHarness();
const HOURS = 3_600_000;

interface Seen {
  report: RestoreReport;
  /** The target's lock was held by a restore when this report went out. */
  targetLocked: boolean;
  dataVersion: string;
}

/** Wraps the real notify: records, for each report, whether the target was still locked then. */
function watchReports(target: { groupId: string; clusterName: string; plan: string }) {
  const seen: Seen[] = [];
  const notify = async (payload: unknown) => {
    const before = h.world.sent.length;
    const { handler } = await import('../../../functions/notifyRestore/index.js');
    const result = await handler(payload);
    const report = h.world.sent.slice(before).find((s) => s.channel === 'sns')?.report;
    if (report) seen.push({ report, targetLocked: await targetBusy(target), dataVersion: h.sim.cluster(target.groupId, target.clusterName).dataVersion });
    return result;
  };
  return { seen, notify };
}

/** Whether a restore of ours holds the target's lock now (the world's lock store, no Atlas call). */
async function targetBusy(target: { groupId: string; clusterName: string }): Promise<boolean> {
  return (await localEnvironment()!.locks!.holder(target)) !== undefined;
}

/** Every report went out exactly once on each channel. */
function oncePerChannel(): Map<string, string[]> {
  const byReport = new Map<string, string[]>();
  for (const s of h.world.sent) {
    const id = s.report?.reportId ?? (s.body as { reportId?: string } | undefined)?.reportId ?? 'webhook';
    byReport.set(id, [...(byReport.get(id) ?? []), s.channel]);
  }
  for (const channel of ['sns', 'eventBridge']) {
    const ids = h.world.sent.filter((s) => s.channel === channel).map((s) => s.report!.reportId);
    expect(new Set(ids).size, `${channel}: one message per report id`).toBe(ids.length);
  }
  return byReport;
}

/** The Atlas jobs of a family created since `since` (ms; Atlas times have whole seconds). */
const jobsSince = (family: 'cloud' | 'flex' | 'legacy', since: number) =>
  h.sim.jobs({ family }).filter((j) => Date.parse(j.createdAt) >= Math.floor(since / 1000) * 1000);

describe('past the deadline on a kind Atlas cannot cancel', () => {
  it('flex: reports "still running" with the target locked, watches to the end, then a closing report frees it', async () => {
    const start = h.sim.clock.now();
    h.sim.scriptOutcome({ cluster: 'flex-dev', kind: 'flex', outcome: 'succeed', durationSeconds: 40 * 60 });
    const before = h.sim.cluster(STAGING, 'flex-target').dataVersion;
    const { seen, notify } = watchReports({ groupId: STAGING, clusterName: 'flex-target', plan: 'flex-refresh' });
    const result = await h.run({ planName: 'flex-short', trigger: { type: 'manual' } }, 'lifetime-flex-1', { notify });

    expect(seen.map((s) => [s.report.phase, s.report.outcome])).toEqual([
      ['interim', 'RUNNING'],
      ['closing', 'SUCCEEDED'],
    ]);
    const [interim, closing] = seen as [Seen, Seen];
    expect(interim.report.notice).toBe('STILL_RUNNING_AFTER_DEADLINE');
    expect(interim.report.jobMayStillRun).toBe(true);
    expect(interim.report.reason).toMatch(/still running onto flex-target/);
    expect(interim.report.reason).toMatch(/does not allow cancelling flex/);
    expect(interim.targetLocked, 'locked while the job runs').toBe(true);
    expect(interim.dataVersion).toBe(before);
    expect(closing.report.reportId).not.toBe(interim.report.reportId);
    expect(closing.report.restoreId).toBe(interim.report.restoreId);
    expect(closing.targetLocked, 'free once the job ended').toBe(false);

    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(jobsSince('flex', start)).toHaveLength(1);
    expect(h.sim.cluster(STAGING, 'flex-target').dataVersion).toBe('flex-dev-v2');
    oncePerChannel();
    // Six hours on, nothing writes to the target we reported free.
    h.sim.clock.advance(6 * HOURS);
    expect(closing.dataVersion).toBe('flex-dev-v2');
    expect(h.sim.cluster(STAGING, 'flex-target').dataVersion).toBe(closing.dataVersion);
  });

  it('legacy sharded: the batch is watched until every job ended, the target locked until then', async () => {
    const start = h.sim.clock.now();
    h.sim.scriptOutcome({ cluster: 'legacy-sharded', kind: 'legacy', outcome: 'succeed', durationSeconds: 30 * 60, times: 10 });
    const { seen, notify } = watchReports({ groupId: STAGING, clusterName: 'staging-sharded-2', plan: 'legacy-sharded' });
    const result = await h.run({ planName: 'legacy-short', trigger: { type: 'manual' } }, 'lifetime-legacy-1', { notify });
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(seen.map((s) => s.report.phase)).toEqual(['interim', 'closing']);
    expect(seen[0]!.targetLocked).toBe(true);
    expect(seen[1]!.targetLocked).toBe(false);
    const batches = new Set(jobsSince('legacy', start).map((j) => j.batchId));
    expect(batches.size, 'one batch of jobs for one request').toBe(1);
    expect(jobsSince('legacy', start).every((j) => j.phase !== 'running' && j.phase !== 'queued')).toBe(true);
    const after = h.sim.cluster(STAGING, 'staging-sharded-2').dataVersion;
    h.sim.clock.advance(6 * HOURS);
    expect(h.sim.cluster(STAGING, 'staging-sharded-2').dataVersion).toBe(after);
    oncePerChannel();
  });
});

describe('looks at Atlas that fail', () => {
  it('a key refused mid-run: reported once, the target stays locked, watching goes on until the job ends', async () => {
    const start = h.sim.clock.now();
    h.sim.scriptOutcome({ cluster: 'prod-cluster', kind: 'cloud', outcome: 'succeed', durationSeconds: 20 * 60 });
    const { seen, notify } = watchReports({ groupId: STAGING, clusterName: 'staging-cluster', plan: 'short-deadline' });
    let polls = 0;
    const result = await h.run(scheduled('cloud-refresh'), 'lifetime-auth-1', {
      notify,
      poll: async (payload, real) => {
        // The key is refused from the first poll on, for the next few looks (rotated, then fixed).
        if (++polls === 1) h.sim.setFaults({ rules: [{ match: 'getBackupRestoreJob', script: Array.from({ length: 4 }, () => ({ status: 403 })) }] });
        return real(payload);
      },
    });
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(seen.map((s) => [s.report.phase, s.report.notice ?? s.report.outcome])).toEqual([
      ['interim', 'NOT_VISIBLE'],
      ['closing', 'SUCCEEDED'],
    ]);
    expect(seen[0]!.report.reason).toMatch(/AtlasAuthFailed/);
    expect(seen[0]!.targetLocked).toBe(true);
    expect(seen[1]!.targetLocked).toBe(false);
    expect(jobsSince('cloud', start)).toHaveLength(1);
    expect(h.sim.cluster(STAGING, 'staging-cluster').dataVersion).toBe(jobsSince('cloud', start)[0]!.dataVersion);
    oncePerChannel();
  });

  it('a poll Lambda that times out again and again: retried, then caught, and the watch goes on', async () => {
    const start = h.sim.clock.now();
    let crashes = 0;
    const result = await h.run(scheduled('cloud-refresh'), 'lifetime-timeout-1', {
      poll: async (payload, real) => {
        if (crashes < 7) {
          crashes++;
          throw new LambdaStyleError('Sandbox.Timedout', 'Task timed out after 280.00 seconds', []);
        }
        return real(payload);
      },
    });
    expect(result.status, result.cause).toBe('SUCCEEDED');
    const retried = result.events.filter((e) => e.type === 'StateRetried' && (e as { state: { name: string } }).state.name === TASK_STATES.poll);
    expect(retried.length).toBeGreaterThanOrEqual(4);
    expect(jobsSince('cloud', start)).toHaveLength(1);
    const reports = h.world.sent.filter((s) => s.channel === 'sns').map((s) => s.report!);
    expect(reports.at(-1)!.outcome).toBe('SUCCEEDED');
    oncePerChannel();
  });

  it('a 429 storm on a legacy restore outlasts every retry: counted as failed looks, never FAILED', async () => {
    const start = h.sim.clock.now();
    let polls = 0;
    const result = await h.run({ planName: 'legacy-sharded', trigger: { type: 'manual' } }, 'lifetime-429-1', {
      poll: async (payload, real) => {
        if (++polls === 1) {
          h.sim.setFaults({ rules: [{ match: `GET /api/atlas/v2/groups/${PROD}/clusters/legacy-sharded/restoreJobs*`, script: Array.from({ length: 45 }, () => ({ status: 429 })) }] });
        }
        return real(payload);
      },
    });
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(h.sim.requests().filter((r) => r.status === 429).length).toBe(45);
    expect(new Set(jobsSince('legacy', start).map((j) => j.batchId)).size).toBe(1);
    const last = h.world.sent.filter((s) => s.channel === 'sns').at(-1)!.report!;
    expect(last.outcome).toBe('SUCCEEDED');
    oncePerChannel();
  });
});

describe('the watch limit', () => {
  // Last in the file: the hung job stays "running" in the simulator.
  it('a job that never ends: interim report, then the last report at the watch limit keeps the lock and says until when', async () => {
    h.sim.scriptOutcome({ cluster: 'flex-dev', kind: 'flex', outcome: 'hang' });
    const { seen, notify } = watchReports({ groupId: STAGING, clusterName: 'flex-target', plan: 'flex-refresh' });
    const result = await h.run({ planName: 'flex-short', trigger: { type: 'manual' } }, 'lifetime-hang-1', { notify });
    expect(result.error).toBe('RestoreTimedOut');
    expect(seen.map((s) => [s.report.phase, s.report.outcome])).toEqual([
      ['interim', 'RUNNING'],
      ['closing', 'TIMED_OUT'],
    ]);
    const last = seen[1]!;
    expect(last.report.jobMayStillRun).toBe(true);
    expect(last.report.reason).toMatch(/may still be running onto flex-target; the target stays locked \(its lock lapses on its own at/);
    expect(last.targetLocked, 'never freed while the job may run').toBe(true);
    oncePerChannel();
  });
});
