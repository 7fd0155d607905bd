import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../../../local/simulator/index.js';
import { api, cloudJobs, digestCall, ADMIN, HOUR, P1, P2, S, START, startTestSimulator, UNKNOWN_ID } from './helpers.js';

/** Every rule Atlas enforces on a cloud restore create answers 400/404/409 with its own code and field. */

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => sim.stop());

const nowSeconds = START / 1000;
const automated = { deliveryType: 'automated', snapshotId: S.recent, targetClusterName: 'dst', targetGroupId: P1 };
const pit = { deliveryType: 'pointInTime', targetClusterName: 'dst', targetGroupId: P1 };

type Case = [name: string, body: unknown, status: number, errorCode: string, field?: string];

const cases: Case[] = [
  ['an array body', [], 400, 'INVALID_JSON'],
  ['no deliveryType', { snapshotId: S.recent }, 400, 'MISSING_ATTRIBUTE', 'deliveryType'],
  ['an unknown deliveryType', { ...automated, deliveryType: 'restore' }, 400, 'INVALID_ENUM_VALUE', 'deliveryType'],
  ['an unknown attribute', { ...automated, colour: 'blue' }, 400, 'INVALID_ATTRIBUTE', 'colour'],
  ['a read-only attribute', { ...automated, finishedAt: '2026-01-01T00:00:00Z' }, 400, 'ATTRIBUTE_READ_ONLY', 'finishedAt'],
  ['a malformed snapshotId', { ...automated, snapshotId: 'abc' }, 400, 'VALIDATION_ERROR', 'snapshotId'],
  ['a malformed targetGroupId', { ...automated, targetGroupId: 'NOT-HEX' }, 400, 'VALIDATION_ERROR', 'targetGroupId'],
  ['a malformed targetClusterName', { ...automated, targetClusterName: '-dst' }, 400, 'VALIDATION_ERROR', 'targetClusterName'],
  ['automated without targetClusterName', { deliveryType: 'automated', snapshotId: S.recent, targetGroupId: P1 }, 400, 'MISSING_ATTRIBUTE', 'targetClusterName'],
  ['automated without targetGroupId', { deliveryType: 'automated', snapshotId: S.recent, targetClusterName: 'dst' }, 400, 'MISSING_ATTRIBUTE', 'targetGroupId'],
  ['automated without snapshotId', { ...automated, snapshotId: undefined }, 400, 'MISSING_ATTRIBUTE', 'snapshotId'],
  ['automated with a point in time', { ...automated, pointInTimeUTCSeconds: nowSeconds - 60 }, 400, 'INVALID_ATTRIBUTE', 'pointInTimeUTCSeconds'],
  ['download with targetClusterName', { deliveryType: 'download', snapshotId: S.recent, targetClusterName: 'dst' }, 400, 'INVALID_ATTRIBUTE', 'targetClusterName'],
  ['download with targetGroupId', { deliveryType: 'download', snapshotId: S.recent, targetGroupId: P1 }, 400, 'INVALID_ATTRIBUTE', 'targetGroupId'],
  ['download without snapshotId', { deliveryType: 'download' }, 400, 'MISSING_ATTRIBUTE', 'snapshotId'],
  ['download with oplogTs', { deliveryType: 'download', snapshotId: S.recent, oplogTs: nowSeconds - 60, oplogInc: 1 }, 400, 'INVALID_ATTRIBUTE', 'oplogTs'],
  ['pointInTime without target', { deliveryType: 'pointInTime', pointInTimeUTCSeconds: nowSeconds - 60 }, 400, 'MISSING_ATTRIBUTE', 'targetClusterName'],
  ['pointInTime with both forms', { ...pit, pointInTimeUTCSeconds: nowSeconds - 60, oplogTs: nowSeconds - 60, oplogInc: 1 }, 400, 'INVALID_ATTRIBUTE', 'pointInTimeUTCSeconds'],
  ['oplogTs without oplogInc', { ...pit, oplogTs: nowSeconds - 60 }, 400, 'MISSING_ATTRIBUTE', 'oplogInc'],
  ['oplogInc without oplogTs', { ...pit, oplogInc: 2 }, 400, 'MISSING_ATTRIBUTE', 'oplogTs'],
  ['pointInTime with no time at all', pit, 400, 'MISSING_ONE_OF_MANY_ATTRIBUTES', 'pointInTimeUTCSeconds'],
  ['pointInTimeUTCSeconds before 2008', { ...pit, pointInTimeUTCSeconds: 1_199_145_599 }, 400, 'VALIDATION_ERROR', 'pointInTimeUTCSeconds'],
  ['oplogTs before 2008', { ...pit, oplogTs: 1_000, oplogInc: 1 }, 400, 'VALIDATION_ERROR', 'oplogTs'],
  ['oplogInc of 0', { ...pit, oplogTs: nowSeconds - 60, oplogInc: 0 }, 400, 'VALIDATION_ERROR', 'oplogInc'],
  ['a fractional pointInTimeUTCSeconds', { ...pit, pointInTimeUTCSeconds: nowSeconds - 60.5 }, 400, 'VALIDATION_ERROR', 'pointInTimeUTCSeconds'],
  ['a string pointInTimeUTCSeconds', { ...pit, pointInTimeUTCSeconds: String(nowSeconds - 60) }, 400, 'VALIDATION_ERROR', 'pointInTimeUTCSeconds'],
  ['a point in time in the future', { ...pit, pointInTimeUTCSeconds: nowSeconds + 60 }, 400, 'INVALID_PIT_RESTORE_TIME', 'pointInTimeUTCSeconds'],
  ['a point in time outside the window', { ...pit, pointInTimeUTCSeconds: nowSeconds - 25 * 3600 }, 400, 'INVALID_PIT_RESTORE_TIME', 'pointInTimeUTCSeconds'],
  ['an oplogTs in the future', { ...pit, oplogTs: nowSeconds + 60, oplogInc: 1 }, 400, 'INVALID_PIT_RESTORE_TIME', 'oplogTs'],
  ['a point in time before any snapshot', { ...pit, pointInTimeUTCSeconds: nowSeconds - 22 * 3600 }, 404, 'UNABLE_T0_FIND_SNAPSHOT_PRIOR_TO_PIT_RESTORE_OPTIME'],
  ['an unknown snapshot', { ...automated, snapshotId: UNKNOWN_ID }, 404, 'SNAPSHOT_NOT_FOUND'],
  ['a snapshot still in progress', { ...automated, snapshotId: S.running }, 409, 'CANNOT_START_RESTORE_JOB_FOR_INCOMPLETE_CLUSTER_SNAPSHOT'],
  ['a failed snapshot', { ...automated, snapshotId: S.failed }, 409, 'CANNOT_START_RESTORE_JOB_FOR_INCOMPLETE_CLUSTER_SNAPSHOT'],
  ['an unknown target cluster', { ...automated, targetClusterName: 'nowhere' }, 404, 'CLUSTER_NOT_FOUND'],
  ['an unknown target project', { ...automated, targetGroupId: UNKNOWN_ID }, 404, 'GROUP_NOT_FOUND'],
  ['a Flex target', { ...automated, targetClusterName: 'flexdst' }, 400, 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API'],
  ['a sharded target for a replica set', { ...automated, targetClusterName: 'sharddst' }, 400, 'INVALID_ATTRIBUTE', 'targetClusterName'],
];

describe('cloud restore create: validation', () => {
  it.each(cases)('refuses %s', async (_name, body, status, errorCode, field) => {
    const answer = await api(sim).post(cloudJobs(), body);
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe('application/json;charset=utf-8');
    expect(answer.json).toMatchObject({ error: status, errorCode });
    expect(typeof answer.json.detail).toBe('string');
    expect(Array.isArray(answer.json.parameters)).toBe(true);
    if (field) expect(answer.json.badRequestDetail.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(sim.jobs()).toHaveLength(0);
  });

  it('lists every broken schema rule at once in badRequestDetail', async () => {
    const answer = await api(sim).post(cloudJobs(), { ...pit, targetGroupId: 'x', targetClusterName: '_', oplogTs: 5, oplogInc: -1 });
    expect(answer.json.errorCode).toBe('VALIDATION_ERROR');
    expect(answer.json.badRequestDetail.fields.map((f: { field: string }) => f.field).sort()).toEqual(['oplogInc', 'oplogTs', 'targetClusterName', 'targetGroupId']);
  });

  it('refuses malformed JSON', async () => {
    const answer = await digestCall(sim.baseUrl, ADMIN, 'POST', `/api/atlas/v2${cloudJobs()}`, { rawBody: '{"deliveryType":' });
    expect(answer.json).toMatchObject({ error: 400, errorCode: 'MALFORMED_JSON' });
  });

  it('refuses point in time on a cluster without continuous backup', async () => {
    const answer = await api(sim).post(cloudJobs('nopit'), { ...pit, pointInTimeUTCSeconds: nowSeconds - 60 });
    expect(answer.json.errorCode).toBe('INVALID_PIT_RESTORE_TIME');
  });

  it('accepts a snapshotId beside a point in time: nothing documents that Atlas refuses it; the time decides the data', async () => {
    const local = await startTestSimulator();
    try {
      const answer = await api(local).post(cloudJobs(), { ...pit, snapshotId: S.old, pointInTimeUTCSeconds: nowSeconds - 2 * HOUR / 1000 });
      expect(answer.status).toBe(200);
      local.clock.advance(HOUR);
      // src held src-v2 from 10 h ago until 1 h ago; the snapshot S.old (20 h ago) held src-v1.
      expect(local.cluster(P1, 'dst').dataVersion).toBe('src-v2');
    } finally {
      await local.stop();
    }
  });

  it('refuses a second restore onto a busy target with 409', async () => {
    const local = await startTestSimulator();
    try {
      expect((await api(local).post(cloudJobs(), automated)).status).toBe(200);
      const second = await api(local).post(cloudJobs(), { ...automated, snapshotId: S.old });
      expect(second.status).toBe(409);
      expect(second.json.errorCode).toBe('ATLAS_CLUSTER_RESTORE_IN_PROGRESS');
      local.clock.advance(HOUR);
      expect((await api(local).post(cloudJobs(), { ...automated, snapshotId: S.old })).status).toBe(200);
    } finally {
      await local.stop();
    }
  });
});

describe('cloud restore paths', () => {
  const paths: [name: string, path: string, status: number, errorCode: string][] = [
    ['a malformed project id', cloudJobs('src', 'xyz'), 400, 'VALIDATION_ERROR'],
    ['an unknown project', cloudJobs('src', UNKNOWN_ID), 404, 'GROUP_NOT_FOUND'],
    ['an unknown cluster', cloudJobs('nowhere'), 404, 'CLUSTER_NOT_FOUND'],
    ['a malformed cluster name', cloudJobs('-bad'), 400, 'VALIDATION_ERROR'],
    ['a Flex cluster', cloudJobs('flexsrc'), 400, 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API'],
    ['a shared-tier cluster', cloudJobs('tenantsrc'), 400, 'INCORRECT_BACKUP_API_ENDPOINT'],
    ['a legacy backup cluster', cloudJobs('legacyrs'), 400, 'INCORRECT_BACKUP_API_ENDPOINT'],
    ['an unknown job', `${cloudJobs()}/${UNKNOWN_ID}`, 404, 'RESTORE_JOB_NOT_FOUND'],
    ['a malformed job id', `${cloudJobs()}/123`, 400, 'VALIDATION_ERROR'],
    ['an unknown path', `/groups/${P1}/nothingHere`, 404, 'RESOURCE_NOT_FOUND'],
  ];
  it.each(paths)('answers %s', async (_name, path, status, errorCode) => {
    const answer = await api(sim).get(path);
    expect(answer.status).toBe(status);
    expect(answer.json.errorCode).toBe(errorCode);
  });

  it('says which parameter is malformed', async () => {
    const answer = await api(sim).get(cloudJobs('src', 'xyz'));
    expect(answer.json.badRequestDetail.fields).toEqual([{ field: 'groupId', description: 'must be a 24-character hexadecimal string' }]);
  });

  it('answers 405 for a method the path does not have', async () => {
    const answer = await api(sim).delete(cloudJobs());
    expect(answer.status).toBe(405);
    expect(answer.json.errorCode).toBe('METHOD_NOT_ALLOWED');
  });

  it('does not find a job through another cluster', async () => {
    const { json } = await api(sim).post(cloudJobs(), { deliveryType: 'download', snapshotId: S.old });
    expect((await api(sim).get(`${cloudJobs('other')}/${json.id}`)).json.errorCode).toBe('RESTORE_JOB_NOT_FOUND');
    expect((await api(sim).get(`${cloudJobs('dst2', P2)}/${json.id}`)).json.errorCode).toBe('RESTORE_JOB_NOT_FOUND');
  });
});
