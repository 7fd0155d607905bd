import { ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../functions/core/api/envelope.js';
import { handleApiRequest } from '../../../functions/core/api/routes.js';
import { ATTACK_PLANS, PROD, STAGING } from '../../adversarial/wrongTargets.js';
import {
  PROTOTYPE_KEYS,
  SEED,
  badClusterName,
  badEpochSeconds,
  badObjectId,
  deeplyNested,
  unknownKey,
  withPrototypeKey,
} from '../../adversarial/arbitraries.js';
import { apiEvent, makeDeps } from './fixtures.js';

/**
 * Properties of the HTTP API over thousands of generated bad inputs (fixed seed): each gets a 4xx
 * naming what was wrong, with a small JSON answer; never a 5xx, never a thrown error, never an
 * Atlas call (the dry-run and cancel actions are the API's only way to Atlas), never a started
 * execution.
 */

const sfn = mockClient(SFNClient);
beforeEach(() => {
  sfn.reset();
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'started', startDate: new Date() });
});

const NOW = new Date('2026-01-01T00:00:00Z');
const RUNS = { seed: SEED, numRuns: 1000 };

/** Answers the event and checks what every refusal must be; returns the status and parsed body. */
async function refused(event: APIGatewayProxyEvent) {
  const deps = makeDeps({ plans: ATTACK_PLANS, now: () => NOW });
  const res = await handleApiRequest(event, deps);
  const body = JSON.parse(res.body) as { error: string; message: string; fields?: { path: string; rule: string }[] };
  expect(res.statusCode, res.body.slice(0, 300)).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
  expect(typeof body.error).toBe('string');
  expect(body.message).not.toMatch(/\n\s+at /); // never a stack trace
  expect(res.body.length).toBeLessThan(6_000);
  expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  expect(deps.actions.dryRun).not.toHaveBeenCalled();
  expect(deps.actions.cancel).not.toHaveBeenCalled();
  sfn.resetHistory();
  return { status: res.statusCode, body };
}

const post = (body: unknown, o: { query?: Record<string, string>; headers?: Record<string, string> } = {}) =>
  apiEvent({ method: 'POST', path: '/restores', resource: '/restores', body, ...o });

const fieldPaths = (body: { fields?: { path: string }[] }) => (body.fields ?? []).map((f) => f.path);

describe('the HTTP API under generated bad input', () => {
  it('an unknown query parameter is a 400 naming it, and a misspelt dryRun never starts anything', async () => {
    await fc.assert(
      fc.asyncProperty(unknownKey(['dryRun']), fc.string({ maxLength: 10 }), fc.boolean(), async (name, value, dryRunToo) => {
        const query = { [name]: value, ...(dryRunToo ? { dryRun: 'true' } : {}) };
        const { status, body } = await refused(post({ plan: 'refresh' }, { query }));
        expect(status).toBe(400);
        expect(fieldPaths(body)).toContain(`query.${name}`);
      }),
      RUNS,
    );
  });

  it('dryRun other than true or false is a 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 12 }).filter((v) => v !== 'true' && v !== 'false'), async (value) => {
        const { status, body } = await refused(post({ plan: 'refresh' }, { query: { dryRun: value } }));
        expect(status).toBe(400);
        expect(fieldPaths(body)).toEqual(['query.dryRun']);
      }),
      RUNS,
    );
  });

  it('a bad Idempotency-Key is a 400 naming the header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 100, unit: 'binary' }).filter((k) => !/^[A-Za-z0-9_-]{1,80}$/.test(k)), async (key) => {
        const { status, body } = await refused(post({ plan: 'refresh' }, { headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key } }));
        expect(status).toBe(400);
        expect(fieldPaths(body)).toEqual(['headers.Idempotency-Key']);
      }),
      RUNS,
    );
  });

  it('a bad restore id in the path is a 400 before Step Functions is asked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 100, unit: 'binary' }).filter((id) => !/^[A-Za-z0-9_-]{1,80}$/.test(id)), fc.boolean(), async (id, cancel) => {
        const resource = cancel ? '/restores/{id}/cancel' : '/restores/{id}';
        const event = apiEvent({ method: cancel ? 'POST' : 'GET', path: `/restores/${encodeURIComponent(id)}${cancel ? '/cancel' : ''}`, resource, pathParameters: { id } });
        const { status, body } = await refused(event);
        expect(status).toBe(400);
        expect(fieldPaths(body)).toEqual(['path.id']);
        expect(sfn.calls()).toHaveLength(0);
      }),
      RUNS,
    );
  });

  it('an override naming a cluster that cannot exist (lookalike, invisible, too long) or a bad project is a 400 naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(badClusterName, fc.boolean(), async (name, badGroup) => {
        const target = { groupId: badGroup ? 'ABC' : STAGING, clusterName: name };
        const { status, body } = await refused(post({ plan: 'refresh', overrides: { target } }));
        expect(status).toBe(400);
        expect(fieldPaths(body).some((p) => p.startsWith('overrides.target'))).toBe(true);
      }),
      RUNS,
    );
  });

  it('an ad-hoc request with a lookalike name anywhere, a bad id or a bad time is a 400 naming the field', async () => {
    const where = fc.constantFrom('source.clusterName', 'target.clusterName', 'source.groupId', 'target.groupId', 'pointInTimeUTCSeconds', 'oplogTs');
    await fc.assert(
      fc.asyncProperty(where, badClusterName, badObjectId, badEpochSeconds, async (field, name, id, seconds) => {
        const request: Record<string, any> = {
          kind: 'cloud',
          deliveryType: 'pointInTime',
          source: { groupId: PROD, clusterName: 'prod-cluster' },
          target: { groupId: STAGING, clusterName: 'scratch-1' },
          pointInTimeUTCSeconds: 1_700_000_000,
        };
        const [obj, key] = field.split('.') as [string, string | undefined];
        if (key) request[obj][key] = key === 'groupId' ? id : name;
        else if (field === 'oplogTs') Object.assign(request, { oplogTs: seconds, oplogInc: 1 });
        else request[field] = seconds;
        const { status, body } = await refused(post({ request }));
        expect(status).toBe(400);
        expect(fieldPaths(body).some((p) => p.startsWith('request.'))).toBe(true);
      }),
      RUNS,
    );
  });

  it('conflicting or half point-in-time fields are a 400', async () => {
    const pit = fc.record(
      { pointInTimeUTCSeconds: fc.constant(1_700_000_000), oplogTs: fc.constant(1_700_000_000), oplogInc: fc.constant(3), snapshotId: fc.constant('65f1b0000000000000000101') },
      { requiredKeys: [] },
    );
    const conflicting = pit.filter((p) => {
      const pair = (p.oplogTs !== undefined) === (p.oplogInc !== undefined);
      const exactlyOne = (p.pointInTimeUTCSeconds !== undefined) !== (p.oplogTs !== undefined || p.oplogInc !== undefined);
      // A snapshotId beside a valid time is allowed (nothing documents Atlas refusing it).
      return !(pair && exactlyOne);
    });
    await fc.assert(
      fc.asyncProperty(conflicting, async (fields) => {
        const request = { kind: 'cloud', deliveryType: 'pointInTime', source: { groupId: PROD, clusterName: 'prod-cluster' }, target: { groupId: STAGING, clusterName: 'scratch-1' }, ...fields };
        expect((await refused(post({ request }))).status).toBe(400);
      }),
      RUNS,
    );
  });

  it('unknown keys (prototype keys, misspelt flags) at any level are a 400 and never change the plan', async () => {
    const level = fc.constantFrom('body', 'overrides', 'target');
    await fc.assert(
      fc.asyncProperty(level, unknownKey(['plan', 'overrides', 'request', 'snapshotId', 'pointInTimeUTCSeconds', 'target', 'groupId', 'clusterName']), fc.jsonValue({ maxDepth: 2 }), async (where, key, value) => {
        const valid = { plan: 'refresh', overrides: { target: { groupId: STAGING, clusterName: 'staging-cluster' } } };
        const inner = JSON.stringify(value) ?? 'null';
        let text = JSON.stringify(valid);
        if (where === 'body') text = withPrototypeKey(text, key as (typeof PROTOTYPE_KEYS)[number], inner);
        if (where === 'overrides') text = text.replace('"overrides":{', `"overrides":{${JSON.stringify(key)}:${inner},`);
        if (where === 'target') text = text.replace('"target":{', `"target":{${JSON.stringify(key)}:${inner},`);
        expect((await refused(post(text))).status).toBe(400);
      }),
      RUNS,
    );
  });

  it('deep nesting anywhere is a 4xx, not a crash', async () => {
    await fc.assert(
      fc.asyncProperty(deeplyNested, fc.constantFrom('request', 'overrides', 'plan', 'extra'), async (nested, field) => {
        const { status } = await refused(post(`{"${field}":${nested}}`));
        expect([400, 413]).toContain(status);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('an oversized body is a 413 whatever it holds; a body that is not JSON text is a 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 * MAX_BODY_BYTES }), fc.string({ minLength: 1, maxLength: 4 }), async (extra, unit) => {
        const text = `{"plan":"refresh","pad":"${unit.repeat(Math.ceil((MAX_BODY_BYTES + extra) / unit.length))}"}`;
        expect((await refused(post(text))).status).toBe(413);
      }),
      { seed: SEED, numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200, unit: 'binary' }), async (text) => {
        let isObject = false;
        try {
          const parsed = JSON.parse(text) as unknown;
          isObject = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
        } catch {
          // not JSON: exactly what this property sends
        }
        fc.pre(!isObject);
        expect((await refused(post(text))).status).toBe(400);
      }),
      RUNS,
    );
  });

  it('a body under any Content-Type but JSON is a 415, whatever it holds', async () => {
    const type = fc.oneof(
      fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/jsonp', 'application/json-patch+json', 'text/json', ''),
      fc.string({ maxLength: 40 }).filter((t) => !/^application\/json\s*(;.*)?$/i.test(t.trim())),
    );
    await fc.assert(
      fc.asyncProperty(type, fc.constantFrom('{"plan":"refresh"}', '{"request":{}}', 'plan=refresh'), async (contentType, text) => {
        const event = post(text, { headers: { 'Content-Type': contentType } });
        expect((await refused(event)).status).toBe(415);
      }),
      RUNS,
    );
  });

  it('a plan name that is not configured, or not offered over HTTP, never starts anything and never lists hidden plans', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom('alarm-only', 'Refresh', 'REFRESH', 'refresh ', 'r\u0435fresh'), fc.string({ maxLength: 70 })), async (plan) => {
        fc.pre(!['refresh', 'pit', 'no-operator', 'flex-refresh'].includes(plan));
        const { status, body } = await refused(post({ plan }));
        expect([400, 403, 404]).toContain(status);
        if (status === 404) expect(body.message).not.toContain('alarm-only');
      }),
      RUNS,
    );
  });
});
