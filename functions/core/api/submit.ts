import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { RestoreRequestInvalidError } from '../domain/errors.js';
import { suggestingFields } from '../domain/issueRule.js';
import { parseRestoreRequest, type RestoreRequest } from '../restore/request.js';
import { refuseRetiredKind } from '../restore/tenantRetired.js';
import type { ExecutionInput, Trigger } from '../workflow/contract.js';
import type { ApiDeps } from './deps.js';
import { refuseIfTargetBusy } from './busy.js';
import { refuseIfTargetHeld } from './holds.js';
import { cooldownRefusal } from '../orchestrate/runRecords.js';
import { startExecution, type Execution } from './executions.js';
import { precheckPlan, precheckRequest } from './precheck.js';
import { answer, DryRunAnswer, RestoreAlreadyRan, RestoreStarted } from './answers.js';
import { ApiError, prefixProblems, validationError, zodValidationError, type ApiResponse } from './responses.js';
import { DryRunFlag, IdempotencyKey, SubmitRestoreBody } from './schemas.js';
import { rawBody } from './envelope.js';
import { header, restoreLinks } from './http.js';

/**
 * `POST /restores`: validate, run the checks that need no Atlas call (plan, overrides, protected
 * targets, source = target, another restore running onto the target), then start one workflow
 * execution named by the Idempotency-Key (or a fresh uuid). `?dryRun=true` resolves and checks
 * through the orchestrator and starts nothing.
 *
 * Repeats: the execution input carries the request time, so a repeat with the same key usually
 * meets ExecutionAlreadyExists. We then compare the stored input with the new one, ignoring the
 * time: the same request answers 202 (still running) or 200 (already ended) with the existing
 * restore; a different request with a used key answers 409 IdempotencyConflict.
 */
export async function submitRestore(event: APIGatewayProxyEvent, deps: ApiDeps): Promise<ApiResponse> {
  const now = deps.now?.() ?? new Date();
  const dryRun = DryRunFlag.safeParse(event.queryStringParameters?.dryRun);
  if (!dryRun.success) throw zodValidationError(dryRun.error, 'query.dryRun');

  const raw = readJsonBody(event);
  refuseBothPlanAndRequest(raw);
  const parsed = SubmitRestoreBody.safeParse(raw, { error: suggestingFields });
  if (!parsed.success) throw zodValidationError(parsed.error);
  const body = parsed.data;

  const key = header(event, 'Idempotency-Key');
  const keyCheck = IdempotencyKey.safeParse(key);
  if (key !== undefined && !keyCheck.success) throw zodValidationError(keyCheck.error, 'headers.Idempotency-Key');
  const restoreId = key ?? (deps.newRestoreId ?? randomUUID)();

  const request = body.request === undefined ? undefined : checkedRequest(body.request, now);
  const input: ExecutionInput = {
    ...(body.plan !== undefined ? { planName: body.plan } : {}),
    ...(body.overrides !== undefined ? { overrides: body.overrides } : {}),
    ...(request !== undefined ? { request } : {}),
    trigger: httpTrigger(event, now),
  };

  const checked = body.plan !== undefined ? precheckPlan(deps.plans, body.plan, body.overrides, now) : precheckRequest(deps.plans, request);
  await refuseIfTargetBusy(deps, checked.target, restoreId);
  await refuseIfTargetHeld(deps, checked.target, restoreId);
  // The one cooldown rule, before anything starts (the create step checks again and records the start).
  const cooling = deps.runs && (await cooldownRefusal(await deps.runs(), checked.plan?.name, checked.target, restoreId));
  if (cooling) throw cooling;

  if (dryRun.data) {
    const result = await deps.actions.dryRun({ ...input, dryRun: true }, restoreId);
    return answer(DryRunAnswer, 200, { dryRun: true, input, ...result });
  }

  const outcome = await startExecution(deps, restoreId, input);
  if (outcome.started) {
    deps.logger.info('Restore workflow started', { restoreId, planName: input.planName, requestedBy: input.trigger.requestedBy });
    return accepted(restoreId);
  }
  return answerRepeat(outcome.existing, input, deps);
}

function answerRepeat(existing: Execution, input: ExecutionInput, deps: ApiDeps): ApiResponse {
  const { restoreId } = existing;
  if (!sameRequest(existing.input, input)) {
    deps.logger.warn('Idempotency-Key reused for a different request', { restoreId });
    throw new ApiError(409, 'IdempotencyConflict', `Idempotency-Key "${restoreId}" was already used for a different restore request`, {
      restoreId,
      links: restoreLinks(restoreId),
    });
  }
  if (existing.status === 'RUNNING') return accepted(restoreId);
  // Already ended: nothing new is started; say so and point at the result.
  return answer(
    RestoreAlreadyRan,
    200,
    {
      restoreId,
      status: 'FINISHED',
      workflow: { status: existing.status, startedAt: existing.startedAt, stoppedAt: existing.stoppedAt },
      message: `This request already ran as restore ${restoreId} (workflow ${existing.status}); nothing new was started.`,
      links: restoreLinks(restoreId),
    },
    { Location: restoreLinks(restoreId).self },
  );
}

function accepted(restoreId: string): ApiResponse {
  const links = restoreLinks(restoreId);
  return answer(RestoreStarted, 202, { restoreId, status: 'STARTED', links }, { Location: links.self });
}

/** Same plan, overrides, request and caller; the request time differs on every call. */
function sameRequest(stored: unknown, input: ExecutionInput): boolean {
  const withoutTime = (i: unknown) => {
    if (i === null || typeof i !== 'object') return i;
    const { trigger, ...rest } = i as { trigger?: Record<string, unknown> };
    const { time: _time, ...triggerRest } = trigger ?? {};
    return { ...rest, trigger: triggerRest };
  };
  // Compare as JSON would carry them (drops undefined fields).
  return isDeepStrictEqual(withoutTime(stored), withoutTime(JSON.parse(JSON.stringify(input))));
}

function checkedRequest(request: RestoreRequest, now: Date): RestoreRequest {
  try {
    const parsed = parseRestoreRequest(request, now);
    refuseRetiredKind(parsed);
    return parsed;
  } catch (err) {
    if (err instanceof RestoreRequestInvalidError) throw validationError(prefixProblems(err.problems, 'request'));
    throw err;
  }
}

function httpTrigger(event: APIGatewayProxyEvent, now: Date): Trigger {
  const identity = event.requestContext?.identity;
  const requestedBy = identity?.userArn ?? identity?.caller ?? undefined;
  return { type: 'http', time: now.toISOString(), ...(requestedBy ? { requestedBy } : {}) };
}

/** Size, Content-Type and query parameters were checked already (./envelope.ts, by the router). */
/**
 * Both a plan and a request: which one was meant is the mistake to name, not what is wrong inside
 * the request (the schema's own exactly-one rule runs only once its fields parse).
 */
function refuseBothPlanAndRequest(raw: unknown): void {
  if (raw !== null && typeof raw === 'object' && 'plan' in raw && 'request' in raw)
    throw validationError([{ path: 'plan', rule: 'give exactly one of plan or request' }]);
}

function readJsonBody(event: APIGatewayProxyEvent): unknown {
  const text = rawBody(event);
  if (text.trim() === '') throw validationError([{ path: '', rule: 'the body must be a JSON object' }]);
  try {
    return JSON.parse(text);
  } catch {
    throw validationError([{ path: '', rule: 'the body is not valid JSON' }]);
  }
}
