import { describe, expect, it } from 'vitest';
import { NotificationUndeliverableError } from '../../../functions/core/domain/errors.js';
import { handler as createRestore } from '../../../functions/createRestore/index.js';
import { handler as notifyRestore } from '../../../functions/notifyRestore/index.js';
import { OUTCOME_STATES, TASK_STATES } from '../../../lib/workflow.js';
import { PROD, STAGING, scheduled, useWorkflowHarness } from './helpers.js';

/** Restores that do not succeed: each ends in its own Fail state with exactly one report. */

const h = useWorkflowHarness();

const reportsOf = (channel: string) => h.world.sent.filter((s) => s.channel === channel);

function oneReport(outcome: string) {
  expect(reportsOf('sns')).toHaveLength(1);
  expect(reportsOf('eventBridge')).toHaveLength(1);
  const report = reportsOf('sns')[0]!.report!;
  expect(report.outcome).toBe(outcome);
  return report;
}

describe('restores that end badly', () => {
  it('a job Atlas fails: RestoreFailed, the target keeps its data', async () => {
    const before = h.sim.cluster(STAGING, 'staging-cluster').dataVersion;
    h.sim.scriptOutcome({ cluster: 'prod-cluster', kind: 'cloud', outcome: 'fail', times: 1 });
    const result = await h.run(scheduled('cloud-refresh'), 'fail-1');
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe(OUTCOME_STATES.FAILED.state);
    expect(h.sim.cluster(STAGING, 'staging-cluster').dataVersion).toBe(before);
    oneReport('FAILED');
  });

  it('a job Atlas cancels on its own: RestoreCancelled', async () => {
    h.sim.scriptOutcome({ cluster: 'prod-cluster', kind: 'cloud', outcome: 'kill', times: 1 });
    const result = await h.run(scheduled('cloud-refresh'), 'kill-1');
    expect(result.error).toBe(OUTCOME_STATES.CANCELLED.state);
    oneReport('CANCELLED');
  });

  it('a download Atlas expires: RestoreExpired', async () => {
    h.sim.scriptOutcome({ cluster: 'prod-cluster', kind: 'cloud.download', outcome: 'expire', times: 1 });
    const result = await h.run({ planName: 'cloud-download', trigger: { type: 'http' } }, 'expire-1');
    expect(result.error).toBe(OUTCOME_STATES.EXPIRED.state);
    oneReport('EXPIRED');
  });

  it('a job that never ends: at the deadline the job is cancelled in Atlas and the run reports TIMED_OUT', async () => {
    h.sim.scriptOutcome({ cluster: 'prod-cluster', kind: 'cloud', outcome: 'hang', times: 1 });
    const startedAt = h.sim.clock.now();
    const result = await h.run({ planName: 'short-deadline', trigger: { type: 'manual' } }, 'deadline-1');
    expect(result.error, JSON.stringify(h.world.sent.map((s) => s.report?.reason))).toBe(OUTCOME_STATES.TIMED_OUT.state);
    const cancels = h.sim.requests().filter((r) => r.operation === 'cancelBackupRestoreJob');
    expect(cancels).toHaveLength(1);
    expect(cancels[0]!.status).toBe(204);
    // The deadline (5 min) was noticed on time: no wait ran past it by more than a poll's length.
    expect(cancels[0]!.time - startedAt).toBeGreaterThanOrEqual(5 * 60_000);
    expect(cancels[0]!.time - startedAt).toBeLessThan(6 * 60_000);
    const job = h.sim.jobs({ family: 'cloud' }).find((j) => j.id === cancels[0]!.path.split('/').pop());
    expect(job?.phase).toBe('cancelled');
    const report = oneReport('TIMED_OUT');
    expect(report.reason).toMatch(/deadline/);
  });

  it('transient Atlas faults on every poll are retried to success, by the client and then by Step Functions', async () => {
    // Ten 503s in a row outlast the client's own five attempts once: the state machine's Retry takes over.
    h.sim.setFaults({ rules: [{ match: 'getBackupRestoreJob', script: Array.from({ length: 10 }, () => ({ status: 503 })) }] });
    const result = await h.run(scheduled('cloud-refresh'), 'faults-1');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    const retried = result.events.filter((e) => e.type === 'StateRetried').map((e) => (e as { state: { name: string } }).state.name);
    expect(retried).toContain(TASK_STATES.poll);
    expect(h.sim.requests().filter((r) => r.operation === 'getBackupRestoreJob' && r.status === 503)).toHaveLength(10);
    oneReport('SUCCEEDED');
  });
  it('a cancel Atlas accepted (204), then a re-read that fails (503): never "still running"; cancel accepted, then the end as Atlas shows it', async () => {
    h.sim.scriptOutcome({ cluster: 'prod-cluster', kind: 'cloud', outcome: 'hang', times: 1 });
    h.sim.clearRequests();
    const result = await h.run({ planName: 'short-deadline', trigger: { type: 'manual' } }, 'deadline-reread', {
      // The DELETE goes through; the read after it meets five 503s in a row (more than the client's attempts).
      cancel: async (payload, real) => {
        h.sim.setFaults({ rules: [{ match: 'getBackupRestoreJob', script: Array.from({ length: 5 }, () => ({ status: 503 })) }] });
        return real(payload);
      },
    });
    expect(result.error, JSON.stringify(h.world.sent.map((s) => s.report?.reason))).toBe(OUTCOME_STATES.TIMED_OUT.state);
    const cancels = h.sim.requests().filter((r) => r.operation === 'cancelBackupRestoreJob');
    expect(cancels.map((c) => c.status)).toEqual([204]);
    expect(h.sim.requests().filter((r) => r.operation === 'getBackupRestoreJob' && r.status === 503)).toHaveLength(5);
    for (const sent of h.world.sent) expect(sent.report?.reason ?? '').not.toMatch(/still running/);
    const report = oneReport('TIMED_OUT');
    expect(report.reason).toMatch(/cancel of Atlas job \S+ accepted by Atlas at /);
  });
});

describe('a report that does not go out the first time', () => {
  const retriesOf = (result: Awaited<ReturnType<typeof h.run>>, name: string) =>
    result.events.filter((e) => e.type === 'StateRetried' && (e as { state: { name: string } }).state.name === name).length;

  /** A stand-in that never let the real notify run left the target locked: let it finish the job for the next tests. */
  async function releaseTarget(payload: unknown) {
    await notifyRestore(payload);
    h.world.sent.length = 0;
  }

  it('is retried: a blip on every channel still ends in the outcome\'s own state, reported once', async () => {
    let tries = 0;
    const result = await h.run(scheduled('cloud-refresh'), 'notify-blip-1', {
      notify: async (payload) => {
        if (++tries === 1) throw new NotificationUndeliverableError('The SUCCEEDED report reached none of its channels (sns, eventBridge)');
        return notifyRestore(payload);
      },
    });
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(retriesOf(result, TASK_STATES.notify)).toBe(1);
    oneReport('SUCCEEDED');
  });

  it('still ends a failed restore in its Fail state after a retried notify', async () => {
    h.sim.scriptOutcome({ cluster: 'prod-cluster', kind: 'cloud', outcome: 'fail', times: 1 });
    let tries = 0;
    const result = await h.run(scheduled('cloud-refresh'), 'notify-blip-2', {
      notify: async (payload) => {
        if (++tries <= 2) throw Object.assign(new Error('Rate exceeded'), { name: 'Lambda.TooManyRequestsException' });
        return notifyRestore(payload);
      },
    });
    expect(result.error).toBe(OUTCOME_STATES.FAILED.state);
    expect(retriesOf(result, TASK_STATES.notify)).toBe(2);
    oneReport('FAILED');
  });

  it('gives up after a bounded number of tries, keeps the report for replay and ends as the restore ended (not a failed execution)', async () => {
    const payloads: unknown[] = [];
    const result = await h.run(scheduled('cloud-refresh'), 'notify-down-1', {
      notify: async (payload) => {
        payloads.push(payload);
        // The dead-letter try (the state machine set $.undelivered) is the real handler: it sends nothing.
        if ((payload as { undelivered?: unknown }).undelivered) return notifyRestore(payload);
        throw new NotificationUndeliverableError('The SUCCEEDED report reached none of its channels (sns, eventBridge, webhook:slack)');
      },
    });
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(payloads).toHaveLength(6);
    // Every try gets the same input, so the report (and its reportId) would be the same.
    expect(new Set(payloads.slice(0, 5).map((p) => JSON.stringify(p))).size).toBe(1);
    expect((payloads[5] as { undelivered: { Error: string } }).undelivered.Error).toBe('NotificationUndeliverable');
    expect(h.world.sent).toEqual([]);
    const kept = await h.world.undelivered.list();
    expect(kept.map((k) => k.channels)).toEqual([['sns', 'eventBridge', 'webhook:slack']]);
    await h.world.undelivered.remove(kept[0]!.reportId);
  });

  it('is not retried for an error a retry cannot fix', async () => {
    const payloads: unknown[] = [];
    const result = await h.run(scheduled('cloud-refresh'), 'notify-bug-1', {
      notify: async (payload) => {
        payloads.push(payload);
        throw new TypeError('Cannot read properties of undefined');
      },
    });
    expect(result.error).toBe('TypeError');
    expect(payloads).toHaveLength(1);
    await releaseTarget(payloads[0]);
  });
});

describe('guards', () => {
  it('refuses a protected target before any Atlas call, and reports REFUSED', async () => {
    h.sim.clearRequests();
    const request = {
      kind: 'cloud',
      deliveryType: 'automated',
      source: { groupId: STAGING, clusterName: 'staging-cluster' },
      snapshotId: '65f1b0000000000000000999',
      target: { groupId: PROD, clusterName: 'prod-cluster' },
    };
    const result = await h.run({ request, trigger: { type: 'http' } }, 'protected-1');
    expect(result.error).toBe(OUTCOME_STATES.REFUSED.state);
    expect(h.sim.requests()).toEqual([]);
    const report = oneReport('REFUSED');
    expect(report.reason).toMatch(/protected target/);
    expect(report.target).toContain('prod-cluster');
  });

  it('refuses a second restore onto a busy target, and the first keeps its job', async () => {
    // The first restore's create step runs (its job is in flight, its lock held); then a second starts.
    const first = (await createRestore({ input: { planName: 'flex-refresh', trigger: { type: 'manual' } }, restoreId: 'busy-first' })) as {
      restore: { job: { jobId: string } };
    };
    const second = await h.run({ planName: 'flex-refresh', trigger: { type: 'http' } }, 'busy-second');
    expect(second.error).toBe(OUTCOME_STATES.REFUSED.state);
    const report = oneReport('REFUSED');
    expect(report.reason).toContain('busy-first');
    expect(h.sim.jobs({ family: 'flex' }).filter((j) => j.phase === 'queued' || j.phase === 'running').map((j) => j.id)).toEqual([
      first.restore.job.jobId,
    ]);
  });

  it('a retried create adopts the job its lost answer created: Atlas holds exactly one job', async () => {
    h.sim.clearRequests();
    const before = h.sim.jobs({ family: 'cloud' }).length;
    h.sim.setFaults({ rules: [{ match: 'createBackupRestoreJob', script: ['lostAnswer'] }] });
    const result = await h.run(scheduled('cloud-refresh'), 'lost-answer-1');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(h.sim.jobs({ family: 'cloud' }).length).toBe(before + 1);
    expect(h.sim.requests().filter((r) => r.operation === 'createBackupRestoreJob')).toHaveLength(1);
    const report = oneReport('SUCCEEDED');
    expect(report.adopted).toBe(true);
  });

  it('a dry run resolves the plan, checks it, and creates nothing', async () => {
    h.sim.clearRequests();
    const result = await h.run({ ...scheduled('cloud-refresh'), dryRun: true }, 'dry-1');
    expect(result.status).toBe('SUCCEEDED');
    const output = result.output as { dryRun: boolean; summary: string; checks: string[]; request: { snapshotId: string } };
    expect(output.dryRun).toBe(true);
    expect(output.summary).toContain('staging-cluster');
    expect(output.checks.join('\n')).toMatch(/protected/);
    expect(h.sim.requests().filter((r) => r.method !== 'GET')).toEqual([]);
    expect(h.world.sent).toEqual([]);
  });
});
