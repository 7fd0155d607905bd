import { describe, expect, it } from 'vitest';
import { handler as createRestore } from '../../../functions/createRestore/index.js';
import type { RestoreReport } from '../../../functions/core/notify/message.js';
import type { FaultRuleInput } from '../../../local/simulator/faults.js';
import { localEnvironment } from '../../../functions/runtime/local.js';
import { ADMIN_KEY } from '../atlas/helpers.js';
import { PROD, STAGING, useWorkflowHarness } from './helpers.js';

/**
 * The fault matrix: every restore kind × the faults a real Atlas (or Lambda) throws at a restore,
 * through the synthesised workflow, the real handlers and the simulator. For each cell: the restore
 * ends as it should, Atlas holds exactly one job (or batch) for it, every report went out once per
 * channel, the target is free only at the end, and six simulated hours later nothing has written to it.
 */

const h = useWorkflowHarness();
const HOURS = 3_600_000;

interface Kind {
  name: string;
  plan: string;
  input: () => object;
  family: 'cloud' | 'flex' | 'legacy';
  createOp: string;
  /** The reads a poll makes, as fault matches. */
  pollMatches: string[];
  target?: { groupId: string; clusterName: string };
}

const KINDS: Kind[] = [
  {
    name: 'cloud automated',
    plan: 'cloud-refresh',
    input: () => ({ planName: 'cloud-refresh', trigger: { type: 'manual' } }),
    family: 'cloud',
    createOp: 'createBackupRestoreJob',
    pollMatches: ['getBackupRestoreJob'],
    target: { groupId: STAGING, clusterName: 'staging-cluster' },
  },
  {
    name: 'cloud point in time',
    plan: 'cloud-pit',
    input: () => ({ planName: 'cloud-pit', trigger: { type: 'alarm', alarmName: 'corruption', time: new Date(h.sim.clock.now()).toISOString() } }),
    family: 'cloud',
    createOp: 'createBackupRestoreJob',
    pollMatches: ['getBackupRestoreJob'],
    target: { groupId: PROD, clusterName: 'recovery-cluster' },
  },
  {
    name: 'cloud download',
    plan: 'cloud-download',
    input: () => ({ planName: 'cloud-download', trigger: { type: 'manual' } }),
    family: 'cloud',
    createOp: 'createBackupRestoreJob',
    pollMatches: ['getBackupRestoreJob'],
  },
  {
    name: 'flex',
    plan: 'flex-refresh',
    input: () => ({ planName: 'flex-refresh', trigger: { type: 'manual' } }),
    family: 'flex',
    createOp: 'createFlexRestoreJob',
    pollMatches: ['getFlexRestoreJob'],
    target: { groupId: STAGING, clusterName: 'flex-target' },
  },
  {
    name: 'legacy sharded',
    plan: 'legacy-sharded',
    input: () => ({ planName: 'legacy-sharded', trigger: { type: 'manual' } }),
    family: 'legacy',
    createOp: 'createClusterRestoreJob',
    pollMatches: ['listClusterRestoreJobs', 'getClusterRestoreJob'],
    target: { groupId: STAGING, clusterName: 'staging-sharded-2' },
  },
];

interface Fault {
  name: string;
  /** Faults on from the start (create side). */
  atCreate?: (k: Kind) => FaultRuleInput[];
  /** Called before each poll runs, with its number (1-based). */
  beforePoll?: (k: Kind, poll: number) => void;
  /** Every create try does its work (POST, or adopt), then its Lambda times out. */
  createDies?: boolean;
  /** The interim notices this fault must cause (in order). */
  notices: string[];
  adopted?: boolean;
}

const script = (n: number, status: number) => Array.from({ length: n }, () => ({ status }));

const FAULTS: Fault[] = [
  {
    name: '5xx bursts on every look',
    beforePoll: (k, n) => {
      if (n === 1) h.sim.setFaults({ rules: k.pollMatches.map((match) => ({ match, script: script(8, 503) })) });
    },
    notices: [],
  },
  {
    name: 'a 429 storm longer than every retry',
    beforePoll: (k, n) => {
      if (n === 1) h.sim.setFaults({ rules: k.pollMatches.map((match) => ({ match, script: script(40, 429) })) });
    },
    notices: [],
  },
  {
    name: 'dropped connections and garbled answers on the looks',
    beforePoll: (k, n) => {
      if (n === 1) h.sim.setFaults({ rules: k.pollMatches.map((match) => ({ match, script: ['drop', 'garbled', 'drop', 'garbled', 'drop', 'drop'] })) });
    },
    notices: [],
  },
  { name: 'the create answer lost', atCreate: (k) => [{ match: k.createOp, script: ['lostAnswer'] }], notices: [], adopted: true },
  { name: 'the create lands 20 s late, its answer lost', atCreate: (k) => [{ match: k.createOp, script: [{ landsLate: 20 }] }], notices: [], adopted: true },
  // After the first try's whole settle window (60 s): the retry only looks, never POSTs again.
  { name: 'the create lands 100 s late, after the settle window', atCreate: (k) => [{ match: k.createOp, script: [{ landsLate: 100 }] }], notices: [], adopted: true },
  { name: 'every create try dies after its POST (or its adopt)', createDies: true, notices: [], adopted: true },
  {
    name: 'the key revoked mid-run, then restored',
    beforePoll: (_k, n) => {
      if (n === 1) h.sim.revokeCredential(ADMIN_KEY.publicKey);
      if (n === 4) h.sim.restoreCredential(ADMIN_KEY.publicKey);
    },
    notices: ['NOT_VISIBLE'],
  },
];

/** Whether a restore of ours holds the target's lock now (read from the world's lock store, no Atlas call). */
async function targetLocked(target: { groupId: string; clusterName: string }): Promise<boolean> {
  return (await localEnvironment()!.locks!.holder(target)) !== undefined;
}

describe.each(KINDS)('$name', (kind) => {
  it.each(FAULTS)('$name', async (fault) => {
    const start = Math.floor(h.sim.clock.now() / 1000) * 1000;
    // Warm the client (Digest nonce) so the create's faults meet the create itself.
    await createRestore({ input: { planName: kind.plan, trigger: { type: 'manual' }, dryRun: true }, restoreId: 'warm-up' } as never);
    h.sim.setFaults({ rules: fault.atCreate?.(kind) ?? [] });
    const lockedAtReports: boolean[] = [];
    let polls = 0;
    const { handler: notifyRestore } = await import('../../../functions/notifyRestore/index.js');
    const result = await h.run(kind.input(), `matrix-${kind.plan}-${fault.name.replace(/\W+/g, '-')}`, {
      ...(fault.createDies
        ? {
            create: async (payload: unknown, real: (p: unknown) => Promise<unknown>) => {
              await real(payload);
              throw Object.assign(new Error('Task timed out after 60.00 seconds'), { name: 'Sandbox.Timedout' });
            },
          }
        : {}),
      poll: async (payload, real) => {
        fault.beforePoll?.(kind, ++polls);
        return real(payload);
      },
      notify: async (payload) => {
        const out = await notifyRestore(payload);
        if (kind.target) lockedAtReports.push(await targetLocked(kind.target));
        return out;
      },
    });
    h.sim.restoreCredential(ADMIN_KEY.publicKey);

    expect(result.status, result.cause).toBe('SUCCEEDED');
    const reports = h.world.sent.filter((s) => s.channel === 'sns').map((s) => s.report!) as RestoreReport[];
    expect(reports.map((r) => r.notice ?? r.outcome)).toEqual([...fault.notices, 'SUCCEEDED']);
    for (const channel of ['sns', 'eventBridge'] as const) {
      const ids = h.world.sent.filter((s) => s.channel === channel).map((s) => s.report!.reportId);
      expect(ids, `${channel}: each report once`).toEqual(reports.map((r) => r.reportId));
    }
    if (fault.adopted) expect(reports.at(-1)!.adopted).toBe(true);

    const jobs = h.sim.jobs({ family: kind.family }).filter((j) => Date.parse(j.createdAt) >= start);
    const restores = kind.family === 'legacy' ? new Set(jobs.map((j) => j.batchId)).size : jobs.length;
    expect(restores, 'exactly one Atlas restore for the request').toBe(1);

    const atEnd = kind.target && h.sim.cluster(kind.target.groupId, kind.target.clusterName).dataVersion;
    h.sim.clock.advance(6 * HOURS);
    if (kind.target) {
      // Locked at every interim report, free at the last one.
      expect(lockedAtReports).toEqual([...fault.notices.map(() => true), false]);
      expect(h.sim.cluster(kind.target.groupId, kind.target.clusterName).dataVersion, 'no write after we reported the target free').toBe(atEnd);
    }
  });
});
