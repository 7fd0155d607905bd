import * as z from 'zod';
import { HoldTarget } from '../orchestrate/holds.js';
import {
  ApiErrorBody,
  CancelAnswer,
  DryRunAnswer,
  HistoryAnswer,
  HoldPlaced,
  HoldReleased,
  HoldsList,
  RestoreAlreadyRan,
  RestoreStarted,
  RestoreView,
} from './answers.js';
import { HoldRequestBody } from './holds.js';
import { DryRunFlag, IdempotencyKey, RestoreId, SubmitRestoreBody } from './schemas.js';

/**
 * The OpenAPI 3.1 document of the restore API, built from the very zod schemas the handler
 * validates with, so the document cannot drift from what the API accepts. `npm run openapi`
 * writes it to docs/openapi.json; `GET /openapi.json` serves it (./routes.ts). The examples are
 * requests the handler accepts: test/unit/api/openapi.test.ts sends each of them.
 *
 * Responses are described by the zod schemas the handlers build them with (./answers.ts); errors
 * share one shape, `{ error, message, ... }` (ApiErrorBody).
 */

/** JSON Schema of what a caller sends (`io: 'input'`: before defaults and transforms). */
function schemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** The answers, by the names the responses refer to them with (`#/components/schemas/<name>`). */
const ANSWERS = {
  Error: ApiErrorBody,
  RestoreStarted,
  RestoreAlreadyRan,
  DryRunAnswer,
  RestoreView,
  CancelAnswer,
  HistoryAnswer,
  HoldsList,
  HoldPlaced,
  HoldReleased,
} as const;

const ref = (name: keyof typeof ANSWERS) => ({ $ref: `#/components/schemas/${name}` });

export const EXAMPLE_IDS = {
  source: '5e4d3c2b1a0f9e8d7c6b5a49',
  target: '6a5b4c3d2e1f0a9b8c7d6e5f',
  snapshot: '65f0a1b2c3d4e5f6a7b8c9d0',
  restore: 'nightly-2026-03-01',
} as const;

const TARGET = { groupId: EXAMPLE_IDS.target, clusterName: 'staging' };

const json = (schema: Record<string, unknown>, examples?: Record<string, { summary: string; value: unknown }>) => ({
  'application/json': { schema, ...(examples ? { examples } : {}) },
});

const links = (id: string) => ({ self: `/restores/${id}`, cancel: `/restores/${id}/cancel` });

const error = (description: string, example: Record<string, unknown>) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example } },
});

/** The OpenAPI document itself: not described field by field here. */
const DOCUMENT = { type: 'object', required: ['openapi', 'info', 'paths'] };
const BAD_REQUEST = error('The request is not valid: each field named by path and rule; nothing was changed', {
  error: 'ValidationError',
  message: 'The request is not valid: plan give exactly one of plan or request',
  fields: [{ path: 'plan', rule: 'give exactly one of plan or request' }],
});
/** What every route refuses before it reads the request (./envelope.ts): unknown query parameters, a body it does not take, non-JSON, floods. */
const ENVELOPE_REFUSALS = {
  '400': BAD_REQUEST,
  '413': error('The body is over 16 KiB', { error: 'PayloadTooLarge', message: '...' }),
  '415': error('The body is not sent as application/json', { error: 'UnsupportedMediaType', message: '...' }),
};
/** Every operation's answers with the envelope refusals added: each route checks its envelope (./routes.ts). */
function withRefusals<P extends Record<string, Record<string, { responses: Record<string, unknown> }>>>(paths: P): P {
  for (const methods of Object.values(paths))
    for (const op of Object.values(methods)) op.responses = { ...ENVELOPE_REFUSALS, ...op.responses };
  return paths;
}
const NOT_FOUND = (what: string) => error(`No such ${what}`, { error: 'NotFound', message: `No ${what} with id "${EXAMPLE_IDS.restore}"` });
/** Built on first use: a cold start of the submit Lambda does not pay for it. */
function buildDocument() {
  const idParam = { name: 'id', in: 'path', required: true, description: 'The restore id (the Idempotency-Key it was started with)', schema: schemaOf(RestoreId), example: EXAMPLE_IDS.restore };
  const targetParams = Object.entries(HoldTarget.shape).map(([name, schema]) => ({
    name,
    in: 'path',
    required: true,
    schema: schemaOf(schema),
    example: TARGET[name as keyof typeof TARGET],
  }));

  const submit = {
    operationId: 'startRestore',
    summary: 'Start a restore: a plan by name (with the overrides it allows) or an ad-hoc request',
    description:
      'Give exactly one of `plan` or `request`; `overrides` only with `plan`. The same Idempotency-Key with the same request starts nothing new (202 while it runs, 200 once it ended); with a different request it is 409 IdempotencyConflict.',
    parameters: [
      { name: 'dryRun', in: 'query', required: false, description: 'true: resolve and check, start nothing', schema: schemaOf(DryRunFlag), example: 'true' },
      { name: 'Idempotency-Key', in: 'header', required: false, description: 'Becomes the restore id; a repeat with it starts nothing new', schema: schemaOf(IdempotencyKey), example: EXAMPLE_IDS.restore },
    ],
    requestBody: {
      required: true,
      content: json(schemaOf(SubmitRestoreBody), {
        plan: { summary: 'A plan by name', value: { plan: 'nightly-staging' } },
        overrides: { summary: 'A plan with overrides', value: { plan: 'nightly-staging', overrides: { snapshotId: EXAMPLE_IDS.snapshot, target: { groupId: EXAMPLE_IDS.target, clusterName: 'staging-2' } } } },
        adHoc: {
          summary: 'An ad-hoc request (allowed by the plans file adHoc rules)',
          value: { request: { kind: 'cloud', source: { groupId: EXAMPLE_IDS.source, clusterName: 'prod' }, deliveryType: 'automated', snapshotId: EXAMPLE_IDS.snapshot, target: TARGET } },
        },
      }),
    },
    responses: {
      '202': {
        description: 'Started (or the same request with the same Idempotency-Key is still running)',
        headers: { Location: { schema: { type: 'string' } } },
        content: json(ref('RestoreStarted'), { started: { summary: 'Started', value: { restoreId: EXAMPLE_IDS.restore, status: 'STARTED', links: links(EXAMPLE_IDS.restore) } } }),
      },
      '200': {
        description: 'A dry run (`?dryRun=true`), or a repeat of a request that already ended (nothing new started)',
        content: json({ oneOf: [ref('DryRunAnswer'), ref('RestoreAlreadyRan')] }),
      },
      '400': BAD_REQUEST,
      '403': error('The plan is not offered over HTTP, or ad-hoc restores are not allowed', { error: 'TriggerNotAllowed', code: 'TRIGGER_NOT_ALLOWED', message: '...' }),
      '404': error('No plan of that name', { error: 'PlanNotFound', message: 'No plan named "nightly-stagin"' }),
      '409': error('Refused by a guard, the target is held or busy, the plan or target is inside a cooldown (COOLDOWN), or the Idempotency-Key was used for another request', {
        error: 'IdempotencyConflict',
        message: `Idempotency-Key "${EXAMPLE_IDS.restore}" was already used for a different restore request`,
      }),
      '503': error('Step Functions or Atlas is busy; try again after Retry-After seconds', { error: 'Unavailable', message: '...' }),
    },
  };

  const follow = {
    operationId: 'getRestore',
    summary: 'Follow a restore: workflow status, the Atlas job, its state and, once ended, the outcome',
    parameters: [idParam],
    responses: { '200': { description: 'The restore', content: json(ref('RestoreView')) }, '400': BAD_REQUEST, '404': NOT_FOUND('restore') },
  };

  const cancel = {
    operationId: 'cancelRestore',
    summary: 'Cancel a restore: stop the workflow before any Atlas job exists, or ask Atlas to cancel a cloud backup job',
    parameters: [idParam],
    responses: {
      '202': {
        description: 'CANCELLED (stopped before any job was created) or CANCELLING (Atlas is cancelling the job)',
        content: json(ref('CancelAnswer'), { cancelling: { summary: 'Atlas is cancelling the job', value: { restoreId: EXAMPLE_IDS.restore, status: 'CANCELLING', message: '...', links: links(EXAMPLE_IDS.restore) } } }),
      },
      '400': BAD_REQUEST,
      '404': NOT_FOUND('restore'),
      '409': error('Already ended, a job Atlas cannot cancel, or the create is in flight (with Retry-After)', { error: 'Conflict', message: '...' }),
    },
  };

  const history = {
    operationId: 'listRestoreHistory',
    summary: "A plan's restore history (the evidence: timings, RTO, RPO, outcome) with the auditor summary",
    parameters: [
      { name: 'plan', in: 'query', required: true, schema: { type: 'string' }, example: 'nightly-staging' },
      { name: 'since', in: 'query', required: false, schema: { type: 'string' }, description: '90d, 12h or an ISO date; default the 400 days kept', example: '90d' },
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 }, description: 'at most this many records, the newest' },
    ],
    responses: { '200': { description: 'The records (oldest first) and the auditor summary over the whole window', content: json(ref('HistoryAnswer')) }, '400': BAD_REQUEST },
  };

  const HOLD_NOT_YOURS = error('Another principal holds the target (the message names them), or a plan does: only the owner or a hold administrator may release, shorten or replace it', {
    error: 'HoldNotYours',
    code: 'HOLD_NOT_YOURS',
    message: '...',
  });
  const HOLD_CHANGED = error('The hold changed while the request was answered: read it again', { error: 'RestoreRefused', code: 'HOLD_CHANGED', message: '...' });

  const holdsList = { operationId: 'listHolds', summary: 'Every hold in force', responses: { '200': { description: 'Every hold in force', content: json(ref('HoldsList')) } } };

  const holdPlace = {
    operationId: 'holdTarget',
    summary: 'Hold a target: no restore may start onto it for a while (one running is not stopped)',
    description: 'Give exactly one of `forMinutes` or `for` (e.g. "4h", "90m", "2d").',
    requestBody: {
      required: true,
      content: json(schemaOf(HoldRequestBody), {
        forDuration: { summary: 'For 4 hours', value: { target: TARGET, for: '4h', reason: 'schema migration on staging' } },
        forMinutes: { summary: 'For 90 minutes', value: { target: TARGET, forMinutes: 90, reason: 'load test' } },
      }),
    },
    responses: {
      '201': { description: 'Held (`replaced` shows a hold this one replaced)', headers: { Location: { schema: { type: 'string' } } }, content: json(ref('HoldPlaced')) },
      '400': BAD_REQUEST,
      '403': HOLD_NOT_YOURS,
      '409': HOLD_CHANGED,
    },
  };

  const holdRelease = (operationId: string) => ({
    operationId,
    summary: 'Release the hold on a target',
    parameters: targetParams,
    responses: { '200': { description: 'Released', content: json(ref('HoldReleased')) }, '400': BAD_REQUEST, '403': HOLD_NOT_YOURS, '404': NOT_FOUND('hold'), '409': HOLD_CHANGED },
  });

  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Atlas Restore Orchestrator API',
      version: '1',
      description:
        'Start, follow and cancel MongoDB Atlas restores; hold and release restore targets. Every method needs IAM (SigV4) auth for the service `execute-api`. Every answer is JSON; errors are `{ error, message, ... }`. `POST /alerts` (for Atlas, HMAC-signed, no SigV4) is described in docs/alerts.md.',
    },
    servers: [{ url: '{ApiUrl}', description: 'The stack output ApiUrl, without its trailing slash', variables: { ApiUrl: { default: 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1' } } }],
    security: [{ sigv4: [] }],
    paths: withRefusals({
      '/restores': { post: submit, get: history },
      '/restores/{id}': { get: follow },
      '/restores/{id}/cancel': { post: cancel },
      '/restores/holds': { get: holdsList, post: holdPlace },
      '/restores/holds/{groupId}/{clusterName}': { delete: holdRelease('releaseHold') },
      '/restores/holds/{groupId}/{clusterName}/release': { post: holdRelease('releaseHoldByPost') },
      '/openapi.json': { get: { operationId: 'getOpenApi', summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1', content: json(DOCUMENT) } } } },
    }),
    components: {
      schemas: Object.fromEntries(Object.entries(ANSWERS).map(([name, schema]) => [name, schemaOf(schema, 'output')])),
      // API Gateway's own way of saying SigV4 (an import of this document keeps IAM auth).
      securitySchemes: {
        sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4', description: 'AWS Signature Version 4, service execute-api' },
      },
    },
  };
  return document;
}

export type OpenApiDocument = ReturnType<typeof buildDocument>;

let built: OpenApiDocument | undefined;

/** The document, as docs/openapi.json holds it and `GET /openapi.json` answers it. */
export function openApiDocument(): OpenApiDocument {
  return (built ??= buildDocument());
}
