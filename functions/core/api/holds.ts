import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod';
import { AD_HOC_PLAN, METRIC } from '../domain/observability.js';
import { HoldDuration, HoldMinutes } from '../orchestrate/holdDuration.js';
import { holdCaller, HoldTarget, placeHoldAs, releaseHoldAs, targetHeldError, type HoldCaller, type TargetHold } from '../orchestrate/holds.js';
import { describeCluster } from '../plans/guards.js';
import { targetOfInput } from './busy.js';
import type { ApiDeps } from './deps.js';
import { answer, HoldPlaced, HoldReleased, HoldsList, type HoldView } from './answers.js';
import { notFound, validationError, zodValidationError, type ApiResponse } from './responses.js';

/**
 * Holds over HTTP: a person says "not now" for a target, for a while and why.
 *
 *   GET    /restores/holds                                   every hold in force
 *   POST   /restores/holds                                   {target: {groupId, clusterName}, forMinutes | for: "4h", reason}
 *   DELETE /restores/holds/{groupId}/{clusterName}           release it (also POST …/release)
 *
 * The routes and the envelope each takes (query parameters, body) are in ./routes.ts's one table.
 * The caller's IAM principal is recorded as who holds it, and owns it: only they, or a principal the
 * plans file's holdAdministrators name, may release, shorten or replace it (403 HoldNotYours naming
 * the owner); a plan's hold only an administrator. A hold does not stop a restore already running
 * onto the target (cancel that one); it refuses every restore that starts while it lasts.
 */

export const HoldRequestBody = z
  .object({
    target: HoldTarget,
    forMinutes: HoldMinutes.optional(),
    for: HoldDuration.optional(),
    reason: z.string().trim().min(1, 'must say why').max(500, 'must be at most 500 characters'),
  })
  .strict()
  .superRefine((b, ctx) => {
    if ((b.forMinutes === undefined) === (b.for === undefined))
      ctx.addIssue({ code: 'custom', path: ['forMinutes'], message: 'give exactly one of forMinutes or for (e.g. "4h")' });
  })
  // The rule above, as JSON Schema says it, for the OpenAPI document (./openapi.ts).
  .meta({ oneOf: [{ required: ['forMinutes'] }, { required: ['for'] }] });

export async function listHolds(deps: ApiDeps): Promise<ApiResponse> {
  const holds = await (await deps.holds()).list();
  return answer(HoldsList, 200, { holds: holds.map(holdView) });
}

export async function placeHold(event: APIGatewayProxyEvent, deps: ApiDeps): Promise<ApiResponse> {
  const parsed = HoldRequestBody.safeParse(readJson(event));
  if (!parsed.success) throw zodValidationError(parsed.error);
  const body = parsed.data;
  const now = deps.now?.() ?? new Date();
  const minutes = body.forMinutes ?? body.for!;
  const hold: TargetHold = {
    target: body.target,
    heldBy: callerOf(event) ?? 'an HTTP caller',
    reason: body.reason,
    since: now.toISOString(),
    until: new Date(now.getTime() + minutes * 60_000).toISOString(),
  };
  const replaced = await placeHoldAs(await deps.holds(), hold, callerAsHolder(event, deps));
  deps.metrics?.add(METRIC.holdsPlaced, 1, AD_HOC_PLAN);
  deps.logger.info('Target held', { target: body.target, heldBy: hold.heldBy, until: hold.until });
  return answer(
    HoldPlaced,
    201,
    {
      hold: holdView(hold),
      ...(replaced ? { replaced: holdView(replaced) } : {}),
      message: `No restore may start onto ${describeCluster(hold.target)} until ${hold.until}, unless the hold is released. A restore already running onto it is not stopped.`,
    },
    { Location: holdLinks(hold).release },
  );
}

export async function releaseHold(raw: { groupId?: string | undefined; clusterName?: string | undefined }, event: APIGatewayProxyEvent, deps: ApiDeps): Promise<ApiResponse> {
  const target = HoldTarget.safeParse(raw);
  if (!target.success) throw zodValidationError(target.error, 'path');
  const released = await releaseHoldAs(await deps.holds(), target.data, callerAsHolder(event, deps));
  if (!released) throw notFound(`No hold is in force on ${describeCluster(target.data)}`);
  const by = callerOf(event) ?? 'an HTTP caller';
  deps.logger.info('Target hold released', { target: target.data, heldBy: released.heldBy, releasedBy: by });
  return answer(HoldReleased, 200, { released: holdView(released), releasedBy: by, message: `${describeCluster(target.data)} is no longer held.` });
}

/** `POST /restores` onto a held target: 409 at once, rather than a workflow the create step refuses. */
export async function refuseIfTargetHeld(deps: ApiDeps, target: { groupId: string; clusterName: string } | undefined, restoreId: string): Promise<void> {
  const hold = target && (await (await deps.holds()).current(target));
  // A hold this very restore placed (holdAfterSuccess) must not turn a repeat of it into a refusal.
  if (hold && hold.restoreId !== restoreId) throw targetHeldError(hold);
}

/** The hold in force on the target of a restore's execution input, for `GET /restores/{id}`. */
export async function holdOnTargetOf(input: unknown, deps: ApiDeps): Promise<HoldView | undefined> {
  const target = targetOfInput(deps.plans, input);
  const hold = target && (await (await deps.holds()).current(target));
  return hold ? holdView(hold) : undefined;
}

function holdView(hold: TargetHold): HoldView {
  return { ...hold, until: hold.until ?? 'released', links: holdLinks(hold) };
}

function holdLinks(hold: TargetHold): { release: string } {
  return { release: `/restores/holds/${encodeURIComponent(hold.target.groupId)}/${encodeURIComponent(hold.target.clusterName)}` };
}

/** The caller's IAM principal, or undefined when the request context names none (it then owns nothing). */
function callerOf(event: APIGatewayProxyEvent): string | undefined {
  const identity = event.requestContext?.identity;
  return identity?.userArn ?? identity?.caller ?? undefined;
}

const callerAsHolder = (event: APIGatewayProxyEvent, deps: ApiDeps): HoldCaller => holdCaller(callerOf(event), deps.plans.holdAdministrators ?? []);

function readJson(event: APIGatewayProxyEvent): unknown {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  try {
    return JSON.parse(text);
  } catch {
    throw validationError([{ path: '', rule: 'the body must be a JSON object' }]);
  }
}
