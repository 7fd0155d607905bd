import { describe, expect, it } from 'vitest';
import { advance } from '../../../functions/core/orchestrate/poll.js';
import type { RestoreState, RestoreStatus } from '../../../functions/core/restore/status.js';
import type { WorkflowState } from '../../../functions/core/workflow/contract.js';

/** advance(): what the poll step hands back after each look at Atlas. */

const GROUP = '65f1c0ffee00000000000a01';
const TARGET_GROUP = '65f1c0ffee00000000000b02';
const JOB = '67b1c2d3e4f5a6b7c8d9e0f1';
const STARTED = Date.parse('2026-03-01T03:00:00.000Z');
const DEADLINE = Date.parse('2026-03-01T05:00:00.000Z');
const at = (secondsAfterStart: number) => new Date(STARTED + secondsAfterStart * 1000);

function state(count = 3, poll = { floorSeconds: 15, capSeconds: 300 }): WorkflowState {
  return {
    restore: {
      restoreId: 'adhoc-20260301T030000Z',
      trigger: { type: 'http' },
      request: {
        kind: 'cloud',
        source: { groupId: GROUP, clusterName: 'prod-cluster' },
        deliveryType: 'automated',
        snapshotId: '66a0b1c2d3e4f5a6b7c8d903',
        target: { groupId: TARGET_GROUP, clusterName: 'staging-cluster' },
      },
      summary: 'cloud restore of prod-cluster onto staging-cluster',
      job: { kind: 'cloud', groupId: GROUP, clusterName: 'prod-cluster', jobId: JOB },
      adopted: false,
      cancellable: true,
      startedAt: new Date(STARTED).toISOString(),
      deadlineAt: new Date(DEADLINE).toISOString(),
      poll,
      notify: { sns: true, eventBridge: true },
    },
    status: { kind: 'cloud', state: 'RUNNING', jobIds: [JOB], atlasStatus: 'in progress' },
    poll: { count, waitSeconds: 15, deadlinePassed: false },
  };
}

const seen = (s: RestoreState): RestoreStatus => ({ kind: 'cloud', state: s, jobIds: [JOB], atlasStatus: s.toLowerCase() });

describe('advance', () => {
  it('counts the poll, keeps the context and takes the new status', () => {
    const before = state(7);
    const next = advance(before, seen('SUCCEEDED'), at(600));
    expect(next.poll.count).toBe(8);
    expect(next.restore).toEqual(before.restore);
    expect(next.status.state).toBe('SUCCEEDED');
  });

  it('deadlinePassed only when the job is not terminal and the deadline has come', () => {
    const pastDeadline = at((DEADLINE - STARTED) / 1000 + 1);
    expect(advance(state(), seen('RUNNING'), pastDeadline).poll.deadlinePassed).toBe(true);
    expect(advance(state(), seen('PENDING'), new Date(DEADLINE)).poll.deadlinePassed).toBe(true);
    for (const end of ['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED'] as const) expect(advance(state(), seen(end), pastDeadline).poll.deadlinePassed).toBe(false);
    expect(advance(state(), seen('RUNNING'), new Date(DEADLINE - 1000)).poll.deadlinePassed).toBe(false);
  });

  it('waits within floor and cap, growing with age', () => {
    const waits = [0, 60, 600, 1_200, 3_000, 6_000].map((s) => advance(state(), seen('RUNNING'), at(s)).poll.waitSeconds);
    expect(waits).toEqual([15, 15, 60, 120, 300, 300]);
    for (const w of waits) {
      expect(Number.isInteger(w)).toBe(true);
      expect(w).toBeGreaterThanOrEqual(15);
      expect(w).toBeLessThanOrEqual(300);
    }
  });

  it('never waits past the deadline (and at least 1 s at or after it)', () => {
    const tenSecondsLeft = at((DEADLINE - STARTED) / 1000 - 10);
    expect(advance(state(), seen('RUNNING'), tenSecondsLeft).poll.waitSeconds).toBe(10);
    expect(advance(state(), seen('RUNNING'), new Date(DEADLINE + 60_000)).poll.waitSeconds).toBe(1);
  });

  it("uses the plan's own floor and cap", () => {
    const s = state(0, { floorSeconds: 30, capSeconds: 60 });
    expect(advance(s, seen('RUNNING'), at(5)).poll.waitSeconds).toBe(30);
    expect(advance(s, seen('RUNNING'), at(5_000)).poll.waitSeconds).toBe(60);
  });
});
