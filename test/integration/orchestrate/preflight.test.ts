import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleApiRequest } from '../../../functions/core/api/routes.js';
import { createAtlasClient, type AtlasClient } from '../../../functions/core/atlas/client.js';
import type { AtlasCredentials } from '../../../functions/core/atlas/credentials.js';
import { clearTokenCache } from '../../../functions/core/atlas/index.js';
import { AtlasApiError, RestoreRefusedError } from '../../../functions/core/domain/errors.js';
import { createRestoreStep } from '../../../functions/core/orchestrate/create.js';
import { noMetrics, silentLogger, type StepDeps } from '../../../functions/core/orchestrate/deps.js';
import { MemoryTargetHolds } from '../../../functions/core/orchestrate/holds.js';
import { MemoryTargetLocks } from '../../../functions/core/orchestrate/locks.js';
import { MemoryRunRecords } from '../../../functions/core/orchestrate/runRecords.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { restoreKinds } from '../../../functions/core/restore/kinds/index.js';
import { parseRestoreRequest, type RestoreRequest } from '../../../functions/core/restore/request.js';
import { startSimulator, type SimulatorHandle, type WorldInput } from '../../../local/simulator/index.js';
import { ADMIN_KEY, PROD, READER_KEY, SERVICE_ACCOUNT, STAGING, defaultWorld } from '../atlas/helpers.js';

/**
 * The preflight against the simulator, rule by rule, both ways: a restore Atlas would refuse is
 * refused by the dry run and by the create step before any POST, naming the reason; the same
 * request sent to Atlas with the preflight bypassed (the kind's create straight to the simulator)
 * is refused by Atlas with its own error code; and good restores pass.
 */

const OPERATOR_KEY = { type: 'digest', publicKey: 'simoperator', privateKey: '5f0c7d2e-0000-4000-8000-00000000a003' } as const;
const SNAP_LATEST = '65f1b0000000000000000106';
const SNAP_7 = '65f1b0000000000000000191';
const SNAP_6 = '65f1b0000000000000000192';

/** The default world plus targets Atlas would refuse: paused, older, too small; and snapshots of older versions. */
function preflightWorld(): WorldInput {
  const world = defaultWorld() as { projects: { id: string; clusters: Record<string, unknown>[] }[] };
  const prod = world.projects.find((p) => p.id === PROD)!;
  const prodCluster = prod.clusters.find((c) => c.name === 'prod-cluster')!;
  // A day of continuous backup, with snapshots two days back: moments between are before the window.
  prodCluster.pitWindowHours = 24;
  (prodCluster.snapshots as unknown[]).push(
    { id: SNAP_7, createdAt: '-3h', mongodVersion: '7.0.14' },
    { id: SNAP_6, createdAt: '-4h', mongodVersion: '6.0.19' },
  );
  const staging = world.projects.find((p) => p.id === STAGING)!;
  staging.clusters.push(
    { name: 'staging-paused', dataVersion: 'paused-v1', paused: true },
    { name: 'staging-old', dataVersion: 'old-v1', mongoDBVersion: '7.0.14' },
    { name: 'staging-small', dataVersion: 'small-v1', diskSizeGB: 0.5 },
  );
  return world as WorldInput;
}

const PLANS = PlansConfig.parse({
  plans: [
    {
      name: 'alarm-recovery',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'pointInTime', pointInTime: { minutesBeforeTrigger: 30 }, target: { groupId: PROD, clusterName: 'recovery-cluster' } },
      triggers: { alarms: ['corruption'] },
    },
  ],
  adHoc: {
    restores: [
      { kinds: ['cloud', 'collection'], sources: [{ groupId: PROD, clusters: ['prod-*'] }], targets: [{ groupId: STAGING, clusters: ['*'] }, { groupId: PROD, clusters: ['recovery-*'] }] },
    ],
  },
});

let sim: SimulatorHandle;
let locks: MemoryTargetLocks;
const clients: AtlasClient[] = [];

beforeAll(async () => {
  sim = await startSimulator(preflightWorld(), { clock: 'manual', seed: 7 });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sim?.stop();
});

function client(credentials: AtlasCredentials): AtlasClient {
  const c = createAtlasClient({ baseUrl: sim.baseUrl, credentials, sleep: async () => undefined });
  clients.push(c);
  return c;
}

/** The create step's deps on the simulator, as the local runner and the API's dry run wire them. */
function deps(credentials: AtlasCredentials = ADMIN_KEY): StepDeps {
  const now = () => new Date(sim.clock.now());
  locks = new MemoryTargetLocks(now);
  clearTokenCache();
  return {
    plans: PLANS,
    atlas: async () => client(credentials),
    locks,
    holds: new MemoryTargetHolds(now),
    runs: new MemoryRunRecords(now),
    now,
    sleep: async (ms) => void sim.clock.advance(ms),
    kinds: restoreKinds,
    logger: silentLogger,
    metrics: noMetrics,
  };
}

const nowSeconds = () => Math.floor(sim.clock.now() / 1000);
const cloudOnto = (clusterName: string, extra: object = { deliveryType: 'automated', snapshotId: SNAP_LATEST }, groupId = STAGING) => ({
  kind: 'cloud',
  source: { groupId: PROD, clusterName: 'prod-cluster' },
  target: { groupId, clusterName },
  ...extra,
});
const pitOnto = (clusterName: string, secondsAgo: number) => cloudOnto(clusterName, { deliveryType: 'pointInTime', pointInTimeUTCSeconds: nowSeconds() - secondsAgo }, PROD);

const manual = { type: 'manual', requestedBy: 'test' } as const;
let runs = 0;

/** The create step (dry run or real) on this input; answers what it returned, or the refusal it threw. */
async function create(input: object, options: { dryRun: boolean; credentials?: AtlasCredentials }) {
  const before = sim.requests().length;
  try {
    const result = await createRestoreStep({ input: { trigger: manual, ...input, ...(options.dryRun ? { dryRun: true } : {}) }, restoreId: `preflight-${++runs}` }, deps(options.credentials));
    return { result, posts: posts(before) };
  } catch (err) {
    return { error: err as Error, posts: posts(before) };
  }
}
const posts = (from: number) => sim.requests().slice(from).filter((r) => r.method === 'POST');

/** The request sent straight to Atlas (the simulator), with no preflight: Atlas's own answer. */
async function bypass(request: object, credentials: AtlasCredentials = ADMIN_KEY): Promise<AtlasApiError> {
  const parsed: RestoreRequest = parseRestoreRequest(request, new Date(sim.clock.now()));
  try {
    await restoreKinds[parsed.kind].create(client(credentials), parsed);
  } catch (err) {
    if (err instanceof AtlasApiError) return err;
    throw err;
  }
  throw new Error('Atlas accepted the restore the preflight refuses');
}

/** Refused with this code and words by the dry run and by the real create step, and nothing was POSTed. */
async function refusedBoth(input: object, code: string, words: RegExp, credentials?: AtlasCredentials) {
  for (const dryRun of [true, false]) {
    const { error, posts: sent } = await create(input, { dryRun, ...(credentials ? { credentials } : {}) });
    expect(error, `${dryRun ? 'dry run' : 'create'} should refuse: ${error?.message}`).toBeInstanceOf(RestoreRefusedError);
    expect((error as RestoreRefusedError).code).toBe(code);
    expect(error!.message).toMatch(words);
    expect(error!.name).toBe('RestoreRefused');
    expect(sent).toEqual([]);
  }
  // A refused create took no lock it kept.
  expect(await locks.holder({ groupId: STAGING, clusterName: 'staging-cluster' })).toBeUndefined();
}

async function passes(input: object, credentials?: AtlasCredentials): Promise<string[]> {
  const { result, error } = await create(input, { dryRun: true, ...(credentials ? { credentials } : {}) });
  expect(error?.message).toBeUndefined();
  return (result as { checks: string[] }).checks;
}

describe('restore window (point in time)', () => {
  it('a point in time older than the window is refused with the window in the message; Atlas refuses it too', async () => {
    await refusedBoth({ request: pitOnto('recovery-cluster', 72 * 3600) }, 'OUTSIDE_RESTORE_WINDOW', /restorable from \S+ to \S+; asked for \S+/);
    expect((await bypass(pitOnto('recovery-cluster', 72 * 3600))).errorCode).toBe('INVALID_PIT_RESTORE_TIME');
  });

  it('an alarm whose time is 30 days old (minutesBeforeTrigger) is refused before any create', async () => {
    const time = new Date(sim.clock.now() - 30 * 86_400_000).toISOString();
    await refusedBoth({ planName: 'alarm-recovery', trigger: { type: 'alarm', alarmName: 'corruption', time } }, 'OUTSIDE_RESTORE_WINDOW', /restore window: restorable from/);
  });

  it('a collection restore at a point in time outside the window is refused; Atlas refuses it too', async () => {
    const request = {
      kind: 'collection',
      source: { groupId: PROD, clusterName: 'prod-cluster' },
      target: { groupId: STAGING, clusterName: 'staging-cluster' },
      pointInTimeUTCSeconds: nowSeconds() - 30 * 3600,
      writeStrategy: 'CREATE_NEW',
      indexStrategy: 'ALL',
      collections: [{ sourceNamespace: 'shop.orders', targetNamespace: 'shop.orders_restored' }],
    };
    await refusedBoth({ request }, 'OUTSIDE_RESTORE_WINDOW', /asked for/);
    expect((await bypass(request)).errorCode).toBe('INVALID_PIT_RESTORE_TIME');
  });

  it('a point in time inside the window passes, and says the window', async () => {
    const checks = await passes({ request: pitOnto('recovery-cluster', 3 * 3600) });
    expect(checks.join('\n')).toMatch(/point in time inside prod-cluster's restore window: restorable from/);
    const time = new Date(sim.clock.now() - 60_000).toISOString();
    expect((await passes({ planName: 'alarm-recovery', trigger: { type: 'alarm', alarmName: 'corruption', time } })).join('\n')).toMatch(/inside/);
  });
});

describe('the target is a real, restorable cluster', () => {
  it('a target that does not exist is named; Atlas answers 404 CLUSTER_NOT_FOUND', async () => {
    await refusedBoth({ request: cloudOnto('no-such-cluster') }, 'TARGET_NOT_RESTORABLE', /target no-such-cluster does not exist in project 65f1a0000000000000000002/);
    expect((await bypass(cloudOnto('no-such-cluster'))).errorCode).toBe('CLUSTER_NOT_FOUND');
  });

  it('a paused target is refused; Atlas answers CLUSTER_PAUSED_CANNOT_RESTORE', async () => {
    await refusedBoth({ request: cloudOnto('staging-paused') }, 'TARGET_NOT_RESTORABLE', /target staging-paused is paused/);
    expect((await bypass(cloudOnto('staging-paused'))).errorCode).toBe('CLUSTER_PAUSED_CANNOT_RESTORE');
  });

  it('a Flex target for a cloud restore is refused; Atlas answers CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API', async () => {
    await refusedBoth({ request: cloudOnto('flex-target') }, 'TARGET_NOT_RESTORABLE', /flex-target is a flex cluster; a cloud restore writes only dedicated/);
    expect((await bypass(cloudOnto('flex-target'))).errorCode).toBe('CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API');
  });

  it('a target older than the snapshot is refused; Atlas refuses it too', async () => {
    await refusedBoth({ request: cloudOnto('staging-old') }, 'TARGET_NOT_RESTORABLE', /target staging-old runs 7\.0, snapshot 8\.0: the target is older/);
    expect((await bypass(cloudOnto('staging-old'))).errorCode).toBe('RESTORE_TARGET_VERSION_INCOMPATIBLE');
  });

  it('a snapshot two majors older than the target is refused; Atlas refuses it too', async () => {
    const request = cloudOnto('staging-cluster', { deliveryType: 'automated', snapshotId: SNAP_6 });
    await refusedBoth({ request }, 'TARGET_NOT_RESTORABLE', /runs 8\.0, snapshot 6\.0: more than one major apart/);
    expect((await bypass(request)).errorCode).toBe('RESTORE_TARGET_VERSION_INCOMPATIBLE');
  });

  it('the same major and the next major pass, each saying so', async () => {
    expect((await passes({ request: cloudOnto('staging-cluster') })).join('\n')).toMatch(/target staging-cluster runs 8\.0, snapshot 8\.0: same major, allowed/);
    const next = await passes({ request: cloudOnto('staging-cluster', { deliveryType: 'automated', snapshotId: SNAP_7 }) });
    expect(next.join('\n')).toMatch(/target staging-cluster runs 8\.0, snapshot 7\.0: next major, allowed/);
  });

  it('a replica-set snapshot onto a sharded cluster is refused; Atlas refuses it too', async () => {
    await refusedBoth({ request: cloudOnto('staging-sharded') }, 'TARGET_NOT_RESTORABLE', /snapshot is a replica set, target staging-sharded is sharded, 3 shards: the topology does not fit/);
    expect((await bypass(cloudOnto('staging-sharded'))).errorCode).toBe('INVALID_ATTRIBUTE');
  });

  it('a target whose disk is smaller than the snapshot is refused (inferred); Atlas refuses it too', async () => {
    await refusedBoth({ request: cloudOnto('staging-small') }, 'TARGET_NOT_RESTORABLE', /snapshot is 1\.0 GB, target staging-small has 0\.5 GB of disk: not enough disk/);
    expect((await bypass(cloudOnto('staging-small'))).errorCode).toBe('INSUFFICIENT_DISK_SPACE_FOR_RESTORE');
  });

  it('a good restore passes with every fact on its own line, and the real create then makes the job', async () => {
    const checks = await passes({ request: cloudOnto('staging-cluster') });
    expect(checks).toEqual(
      expect.arrayContaining([
        'target staging-cluster exists in project 65f1a0000000000000000002',
        'target staging-cluster is a dedicated cluster: a cloud restore can write it',
        'target staging-cluster is not paused',
        'snapshot is a replica set, target staging-cluster is a replica set: the topology fits',
      ]),
    );
    const { result, posts: sent } = await create({ request: cloudOnto('staging-cluster') }, { dryRun: false });
    expect(sent).toHaveLength(1);
    expect((result as { restore: { job: { jobId: string } } }).restore.job.jobId).toMatch(/^[a-f0-9]{24}$/);
  });
});

describe('the credentials can do it', () => {
  it('a Project Read Only key is told the role it lacks to list restore jobs; Atlas answers 403', async () => {
    await refusedBoth({ request: cloudOnto('staging-cluster') }, 'MISSING_ROLE', /this key lacks Project Backup Manager on project 65f1a0000000000000000001; needed to list restore jobs/, READER_KEY);
    const err = await bypass(cloudOnto('staging-cluster'), READER_KEY);
    expect([err.status, err.errorCode]).toEqual([403, 'USER_UNAUTHORIZED']);
  });

  it('a key with backup roles only on the target project is told what it lacks on the source', async () => {
    await refusedBoth({ request: cloudOnto('staging-cluster') }, 'MISSING_ROLE', /lacks Project Backup Export Operator or Project Backup Recovery Operator or Project Backup Manager on project 65f1a0000000000000000001; needed to create the restore job/, OPERATOR_KEY);
    expect((await bypass(cloudOnto('staging-cluster'), OPERATOR_KEY)).status).toBe(403);
  });

  it('a key that may do it passes, naming its roles', async () => {
    expect((await passes({ request: cloudOnto('staging-cluster') })).join('\n')).toMatch(/key holds owner on project 65f1a0000000000000000001: enough/);
  });

  it('a service account (no roles listed) passes on what its calls show', async () => {
    expect((await passes({ request: cloudOnto('staging-cluster') }, SERVICE_ACCOUNT)).join('\n')).toMatch(/Atlas does not list them for this key/);
  });
});

describe("the API's dry run runs the same preflight", () => {
  const sfn = mockClient(SFNClient);
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });

  const dryRunOverHttp = (request: object, credentials: AtlasCredentials = ADMIN_KEY) =>
    handleApiRequest(
      {
        httpMethod: 'POST',
        path: '/restores',
        resource: '/restores',
        headers: { 'Content-Type': 'application/json' },
        multiValueHeaders: {},
        queryStringParameters: { dryRun: 'true' },
        multiValueQueryStringParameters: null,
        pathParameters: null,
        stageVariables: null,
        body: JSON.stringify({ request }),
        isBase64Encoded: false,
        requestContext: { requestId: 'req-preflight', identity: { userArn: 'arn:aws:iam::123456789012:user/alice' } },
      } as unknown as APIGatewayProxyEvent,
      {
        sfn: new SFNClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:AtlasRestore',
        plans: PLANS,
        actions: {
          // As functions/submitRestore/orchestration.ts wires it: the create step, told to create nothing.
          dryRun: async (input, restoreId) => {
            const result = await createRestoreStep({ input, restoreId }, deps(credentials));
            if (!('dryRun' in result)) throw new Error('not a dry run answer');
            const { dryRun: _d, restoreId: _r, ...rest } = result;
            return rest;
          },
          cancel: async () => undefined,
          createSentAt: async () => undefined,
        },
        logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
        holds: async () => new MemoryTargetHolds(() => new Date(sim.clock.now())),
        history: async () => {
          throw new Error('no history in this test');
        },
        now: () => new Date(sim.clock.now()),
      },
    );

  it('answers 409 RestoreRefused naming the reason for each rule, and 200 with the checks for a good restore', async () => {
    const before = sim.requests().length;
    const refused = [
      [pitOnto('recovery-cluster', 72 * 3600), 'OUTSIDE_RESTORE_WINDOW', /restorable from/],
      [cloudOnto('staging-paused'), 'TARGET_NOT_RESTORABLE', /staging-paused is paused/],
      [cloudOnto('no-such-cluster'), 'TARGET_NOT_RESTORABLE', /does not exist/],
      [cloudOnto('staging-old'), 'TARGET_NOT_RESTORABLE', /runs 7\.0, snapshot 8\.0/],
    ] as const;
    for (const [request, code, words] of refused) {
      const res = await dryRunOverHttp(request);
      const body = JSON.parse(res.body) as { error: string; code: string; message: string };
      expect([res.statusCode, body.error, body.code]).toEqual([409, 'RestoreRefused', code]);
      expect(body.message).toMatch(words);
    }
    const reader = JSON.parse((await dryRunOverHttp(cloudOnto('staging-cluster'), READER_KEY)).body) as { code: string; message: string };
    expect(reader.code).toBe('MISSING_ROLE');
    expect(reader.message).toMatch(/lacks Project Backup Manager on project 65f1a0000000000000000001; needed to list restore jobs/);

    // The restore an earlier test created onto staging-cluster ends (a busy target is refused as well).
    sim.clock.advance(2 * 3600_000);
    const good = await dryRunOverHttp(cloudOnto('staging-cluster', { deliveryType: 'automated', snapshotId: SNAP_7 }));
    expect(good.statusCode).toBe(200);
    expect((JSON.parse(good.body) as { checks: string[] }).checks).toContain('target staging-cluster runs 8.0, snapshot 7.0: next major, allowed');
    expect(posts(before)).toEqual([]);
  });
});
