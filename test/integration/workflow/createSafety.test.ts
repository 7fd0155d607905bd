import { describe, expect, it } from 'vitest';
import { handler as createRestore } from '../../../functions/createRestore/index.js';
import type { RestoreReport } from '../../../functions/core/notify/message.js';
import { PlansConfig, type PlanInput } from '../../../functions/core/plans/schema.js';
import { OUTCOME_STATES } from '../../../lib/workflow.js';
import { createAtlasClient } from '../../../functions/core/atlas/client.js';
import { ADMIN_KEY } from '../atlas/helpers.js';
import { PROD, STAGING, useWorkflowHarness } from './helpers.js';

/**
 * The create step's safety, through the synthesised state machine, the real handlers and the
 * simulator: a POST whose answer is lost is looked for over the settle window and never sent twice
 * inside one; when it stays ambiguous the target stays locked; and a restore onto its own source
 * runs only when its plan says so.
 */

const plan = (p: PlanInput): PlanInput => p;
const onto = (clusterName: string) => ({ groupId: STAGING, clusterName });

const PLANS = PlansConfig.parse({
  protectedTargets: [{ groupId: PROD, clusters: ['prod-*'] }],
  plans: [
    plan({ name: 'refresh', triggers: { http: true, manual: true }, source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' }, restore: { type: 'snapshot', target: onto('staging-cluster') } }),
    // Another plan onto the same target: its dry run says whether the target is locked.
    plan({ name: 'probe', triggers: { http: true, manual: true }, source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' }, restore: { type: 'snapshot', target: onto('staging-cluster') } }),
    plan({
      name: 'self-recovery',
      triggers: { http: true, manual: true },
      source: { kind: 'cloud', groupId: STAGING, clusterName: 'staging-cluster' },
      restore: { type: 'snapshot', target: onto('staging-cluster') },
      allowRestoreOntoSource: true,
    }),
    plan({
      name: 'staging-copy',
      triggers: { http: true, manual: true },
      source: { kind: 'cloud', groupId: STAGING, clusterName: 'staging-cluster' },
      restore: { type: 'snapshot', target: onto('staging-sharded') },
      allowOverrides: ['target'],
    }),
  ],
});

const h = useWorkflowHarness(PLANS);
const manual = { type: 'manual' } as const;

const posts = () => h.sim.requests().filter((r) => r.operation === 'createBackupRestoreJob');
/**
 * The looks for prod-cluster's jobs. A 401 here is the Digest handshake (the simulator's nonce lapses
 * every 5 simulated minutes, so where it falls depends on the tests before), not a look.
 */
const looksForJobs = () =>
  h.sim.requests().filter((r) => r.method === 'GET' && r.path.endsWith('/clusters/prod-cluster/backup/restoreJobs') && r.status !== 401);
const reports = (): RestoreReport[] => h.world.sent.filter((s) => s.channel === 'sns').map((s) => s.report!);
const cloudJobsSince = (since: number) => h.sim.jobs({ family: 'cloud' }).filter((j) => Date.parse(j.createdAt) >= Math.floor(since / 1000) * 1000);

/** A dry run of the probe plan: the restore holding staging-cluster's lock, if one does. */
async function lockHolder(): Promise<string | undefined> {
  try {
    await createRestore({ input: { planName: 'probe', trigger: manual, dryRun: true }, restoreId: `probe-${h.sim.clock.now()}` } as never);
    return undefined;
  } catch (err) {
    const held = (err as Error).name === 'RestoreRefused' && /^Restore (\S+) is already running onto/.exec((err as Error).message);
    if (held) return held[1];
    throw err;
  }
}

describe('a restore onto its own source', () => {
  it('runs when the plan allows it: one job from staging-cluster onto itself, its data back to the snapshot', async () => {
    const start = h.sim.clock.now();
    h.sim.writeData(STAGING, 'staging-cluster', 'staging-damaged');
    h.sim.clearRequests();
    const result = await h.run({ planName: 'self-recovery', trigger: manual }, 'self-1');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    const jobs = cloudJobsSince(start);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ groupId: STAGING, clusterName: 'staging-cluster', target: onto('staging-cluster'), phase: 'succeeded' });
    expect(h.sim.cluster(STAGING, 'staging-cluster').dataVersion).toBe(jobs[0]!.dataVersion);
    expect(jobs[0]!.dataVersion).not.toBe('staging-damaged');
    expect(reports().map((r) => r.outcome)).toEqual(['SUCCEEDED']);
    expect(await lockHolder(), 'the lock is released at the end').toBeUndefined();
  });

  it('without the flag: a plan saying so is refused by the config, a run onto the source is refused before any Atlas call', async () => {
    const withoutFlag = PLANS.plans.find((p) => p.name === 'self-recovery')!;
    const parsed = PlansConfig.safeParse({ plans: [{ ...withoutFlag, allowRestoreOntoSource: false }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain('plans.0.restore.target');

    h.sim.clearRequests();
    const overridden = await h.run({ planName: 'staging-copy', trigger: { type: 'http' }, overrides: { target: onto('staging-cluster') } }, 'self-2');
    const adHoc = await h.run(
      { trigger: { type: 'http' }, request: { kind: 'cloud', source: onto('staging-cluster'), deliveryType: 'automated', snapshotId: '65f1b0000000000000001101', target: onto('staging-cluster') } },
      'self-3',
    );
    for (const result of [overridden, adHoc]) expect(result.error, result.cause).toBe(OUTCOME_STATES.REFUSED.state);
    expect(h.sim.requests(), 'no Atlas call at all').toEqual([]);
    expect(reports().map((r) => r.outcome)).toEqual(['REFUSED', 'REFUSED']);
    for (const r of reports()) expect(r.reason).toMatch(/Refusing to restore cluster "staging-cluster" .* onto itself/);
  });
});

describe('a create whose answer is lost', () => {
  it('lands 20 s late, inside the settle window: adopted, one POST, one job, SUCCEEDED', async () => {
    const start = h.sim.clock.now();
    h.sim.clearRequests();
    h.sim.setFaults({ rules: [{ match: 'createBackupRestoreJob', script: [{ landsLate: 20 }] }] });
    const result = await h.run({ planName: 'refresh', trigger: manual }, 'late-1');
    expect(result.status, result.cause).toBe('SUCCEEDED');

    expect(posts()).toHaveLength(1);
    const post = posts()[0]!;
    expect(post.fault).toMatch(/lands 20 s late/);
    expect(post.auth).toMatchObject({ principal: 'simadmin' }); // the script met the real POST, not a Digest challenge
    const jobs = cloudJobsSince(start);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ target: onto('staging-cluster'), phase: 'succeeded', landed: true });
    // Looked for at 6 s and 15 s (not there yet), found at 30 s: no look before the job landed found it.
    const looks = looksForJobs().filter((r) => r.time > post.time);
    expect(looks.map((r) => (r.time - post.time) / 1000).slice(0, 3)).toEqual([6, 15, 30]);

    const [report, ...more] = reports();
    expect(more).toEqual([]);
    expect(report).toMatchObject({ outcome: 'SUCCEEDED', adopted: true, jobIds: [jobs[0]!.id] });
    expect(h.sim.cluster(STAGING, 'staging-cluster').dataVersion).toBe(jobs[0]!.dataVersion);
    expect(await lockHolder()).toBeUndefined();
  });

  it('every create try dies after its POST (tries two and three adopt the job): the job is found, watched to its end and named', async () => {
    const start = h.sim.clock.now();
    h.sim.clearRequests();
    let tries = 0;
    // Each try does its work (the first POSTs, the next two adopt), then its Lambda times out.
    const dies = async (payload: unknown, real: (p: unknown) => Promise<unknown>) => {
      tries += 1;
      await real(payload);
      throw Object.assign(new Error('Task timed out after 60.00 seconds'), { name: 'Sandbox.Timedout' });
    };
    const result = await h.run({ planName: 'refresh', trigger: manual }, 'dies-1', { create: dies });
    expect(tries).toBe(3);
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(posts()).toHaveLength(1);
    const jobs = cloudJobsSince(start);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ target: onto('staging-cluster'), phase: 'succeeded' });
    const [report, ...more] = reports();
    expect(more).toEqual([]);
    expect(report).toMatchObject({ outcome: 'SUCCEEDED', adopted: true, jobIds: [jobs[0]!.id] });
    expect(report!.summary).toMatch(new RegExp(`create step failed \\(Sandbox.Timedout\\) .*Atlas job ${jobs[0]!.id} of this request was found and is watched`));
    expect(await lockHolder(), 'freed only once the job ended').toBeUndefined();
  });

  it('lands 100 s late, after the first try’s whole window: a retry looks over a window of its own and adopts it; never a second POST', async () => {
    const start = h.sim.clock.now();
    h.sim.clearRequests();
    h.sim.setFaults({ rules: [{ match: 'createBackupRestoreJob', script: [{ landsLate: 100 }] }] });
    const result = await h.run({ planName: 'refresh', trigger: manual }, 'late-2');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(posts(), 'one POST: the first may still land, so it is never sent again').toHaveLength(1);
    const jobs = cloudJobsSince(start);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ target: onto('staging-cluster'), phase: 'succeeded', landed: true });
    const [report, ...more] = reports();
    expect(more).toEqual([]);
    expect(report).toMatchObject({ outcome: 'SUCCEEDED', adopted: true, jobIds: [jobs[0]!.id] });
    expect(await lockHolder()).toBeUndefined();
  });

  it('a second job onto the target still running when ours ends: the lock is kept, it is watched to its end and reported', async () => {
    const start = h.sim.clock.now();
    h.sim.clearRequests();
    const client = createAtlasClient({ baseUrl: h.sim.baseUrl, credentials: ADMIN_KEY });
    let second: string | undefined;
    const lockedAtReport: (string | undefined)[] = [];
    const { handler: notifyRestore } = await import('../../../functions/notifyRestore/index.js');
    try {
      const result = await h.run({ planName: 'refresh', trigger: manual }, 'quiet-1', {
        // Once our job has ended, Atlas shows a second one onto the same target (a POST that landed late, someone else's).
        poll: async (payload, real) => {
          const [ours] = cloudJobsSince(start);
          if (!second && ours?.phase === 'succeeded') {
            const body = { deliveryType: 'automated', snapshotId: ours.snapshotId, targetGroupId: STAGING, targetClusterName: 'staging-cluster' };
            const res = await client.request<{ id: string }>({ method: 'POST', path: `/api/atlas/v2/groups/${PROD}/clusters/prod-cluster/backup/restoreJobs`, version: '2023-01-01', body });
            second = res.body.id;
          }
          return real(payload);
        },
        notify: async (payload) => {
          const out = await notifyRestore(payload);
          lockedAtReport.push(await lockHolder());
          return out;
        },
      });
      expect(result.status, result.cause).toBe('SUCCEEDED');
    } finally {
      await client.close();
    }
    expect(second).toBeDefined();
    const jobs = cloudJobsSince(start);
    expect(jobs.map((j) => j.phase)).toEqual(['succeeded', 'succeeded']);
    const [report, ...more] = reports();
    expect(more).toEqual([]);
    expect(report!.jobIds).toEqual([second]);
    expect(report!.reason).toMatch(new RegExp(`Atlas made a second job ${second} onto staging-cluster, still running when job ${jobs[0]!.id} ended .*the target stays locked and job ${second} is watched to its end`));
    // Freed only after the second job ended, and nothing wrote onto the target after that.
    expect(lockedAtReport).toEqual([undefined]);
    const atEnd = h.sim.cluster(STAGING, 'staging-cluster').dataVersion;
    expect(atEnd).toBe(jobs[1]!.dataVersion);
    h.sim.clock.advance(6 * 3_600_000);
    expect(h.sim.cluster(STAGING, 'staging-cluster').dataVersion).toBe(atEnd);
  });

  // Last in the file: the target's lock is kept (it lapses only hours later).
  it('every try ambiguous and no job ever lands: FAILED, the target stays locked, one POST only, each try looking over a window', async () => {
    const start = h.sim.clock.now();
    h.sim.clearRequests();
    // The POST's connection is dropped (any later one would answer 503): nothing says whether Atlas acted.
    h.sim.setFaults({ rules: [{ match: 'createBackupRestoreJob', script: ['drop'], errorRate: 1, errorStatuses: [503] }] });
    const result = await h.run({ planName: 'refresh', trigger: manual }, 'unknown-1');

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe(OUTCOME_STATES.FAILED.state);
    const [report, ...more] = reports();
    expect(more).toEqual([]);
    expect(report!.outcome).toBe('FAILED');
    expect(report!.reason).toMatch(/^AtlasCreateOutcomeUnknown: No Atlas job of this request has appeared since its POST at .* the POST is not sent again/);
    expect(report!.reason).toMatch(/the create may have reached Atlas .* the target stays locked until its lock lapses/);
    expect(report!.jobMayStillRun).toBe(true);
    expect(await lockHolder(), 'the lock was kept').toBe('unknown-1');
    expect(cloudJobsSince(start)).toEqual([]);

    // The first try POSTs once; the state machine's two retries (AMBIGUOUS_CREATE_RETRY) only look,
    // each over a window of its own (10 %, 25 %, 50 %, 100 %), and FindCreatedJob once more.
    expect(posts().map((p) => p.status)).toEqual([undefined]);
    const post = posts()[0]!;
    const after = looksForJobs()
      .filter((r) => r.time > post.time)
      .map((r) => (r.time - post.time) / 1000);
    // Each retry's first look is its adopt check, then the looks over its window; FindCreatedJob's look last.
    expect(after).toEqual([6, 15, 30, 60, 60, 66, 75, 90, 120, 120, 126, 135, 150, 180, 180]);
  });
});
