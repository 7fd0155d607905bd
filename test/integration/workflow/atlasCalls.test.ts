import { describe, expect, it } from 'vitest';
import { scheduled, useWorkflowHarness } from './helpers.js';

/**
 * Atlas calls per restore, on the synthesised machine with the real handlers: the count the report
 * and the history record carry is the number of requests the simulator itself logged for the
 * restore (the only one running), Digest challenges and retried 429/503 answers included.
 */

const h = useWorkflowHarness();

describe('Atlas calls in the report and the history record', () => {
  it('equal the requests the simulator saw: the create, every look, Digest challenges, and the retries after a 429 and a 503', async () => {
    h.sim.clearRequests();
    // The second and third looks each fail once first; the client retries them within the poll step.
    h.sim.setFaults({ rules: [{ match: 'getBackupRestoreJob', script: ['pass', { status: 429 }, 'pass', { status: 503 }] }] });
    const result = await h.run(scheduled('cloud-refresh'), 'calls-counted');
    expect(result.status, result.cause).toBe('SUCCEEDED');

    const seen = h.sim.requests();
    expect(seen.filter((r) => r.status === 401).length).toBeGreaterThan(0);
    expect(seen.filter((r) => r.status === 429 || r.status === 503)).toHaveLength(2);
    const record = (await h.world.history.list({ plan: 'cloud-refresh' })).find((r) => r.restoreId === 'calls-counted');
    expect(record?.atlasCalls).toBe(seen.length);
    // More than the polls and the create: the challenges, the retries and the create's reads count too.
    expect(record!.atlasCalls).toBeGreaterThan(record!.polls! + 3);

    const report = h.world.sent.find((s) => s.channel === 'sns')?.report;
    expect(report?.atlasCalls).toBe(seen.length);
    expect(h.world.sent.find((s) => s.channel === 'sns')?.text).toMatch(new RegExp(`(Took|Work): .*${record!.polls} polls, ${seen.length} Atlas calls`));
  });

  it('count the cancel at the deadline and the looks after it, as the simulator saw them', async () => {
    h.sim.clearRequests();
    h.sim.scriptOutcome({ cluster: 'prod-cluster', kind: 'cloud', outcome: 'hang', times: 1 });
    const result = await h.run({ planName: 'short-deadline', trigger: { type: 'manual' } }, 'calls-cancelled');
    expect(result.error).toBe('RestoreTimedOut');
    const seen = h.sim.requests();
    expect(seen.filter((r) => r.operation === 'cancelBackupRestoreJob')).toHaveLength(1);
    const record = (await h.world.history.list({ plan: 'short-deadline' })).find((r) => r.restoreId === 'calls-cancelled');
    expect(record?.atlasCalls).toBe(seen.length);
  });
});
