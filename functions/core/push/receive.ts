import { createHash } from 'node:crypto';
import type { StepLogger } from '../orchestrate/deps.js';
import { AtlasAlert, MAX_ALERT_BYTES, wakesRestores } from './alert.js';
import { EVENT_HEADER, SIGNATURE_HEADER, signatureMatches } from './signature.js';
import { LAST_ALERT_KEPT_MS, type AlertWaiters } from './waiters.js';
import type { WakeTask } from '../workflow/wake.js';
import { ruleOf } from '../domain/issueRule.js';

/**
 * The alert receiver: Atlas POSTs an alert here (a webhook notification of the project's restore
 * alert configurations, set up by `npm run restore -- alerts setup`). Atlas cannot sign with SigV4,
 * so the request is authenticated by its HMAC signature alone; everything before that check is
 * cheap and reveals nothing. A genuine restore alert wakes every restore of ours waiting on that
 * project; each then looks at its own job once, so an alert that is about another restore, comes
 * twice, or comes before Atlas shows the job ended costs a poll and never ends a restore wrongly.
 */

export interface AlertRequest {
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The exact bytes received: the signature is over these. */
  body: Buffer;
}

export interface AlertResponse {
  statusCode: number;
  body: Record<string, unknown>;
}

export interface ReceiveDeps {
  /** The shared secret Atlas signs with (Secrets Manager in AWS). */
  webhookSecret(): Promise<string>;
  waiters: AlertWaiters;
  wake: WakeTask;
  now(): Date;
  logger: StepLogger;
}

/**
 * How long a delivery is remembered: a duplicate or a replay within it wakes nothing. As long as a
 * project's last alert is kept (the evidence that alerts arrive, ./heard.ts), so a replayed old
 * alert can neither wake restores nor renew that evidence.
 */
const ALERT_MEMORY_MS = LAST_ALERT_KEPT_MS;

export async function receiveAlert(request: AlertRequest, deps: ReceiveDeps): Promise<AlertResponse> {
  if (request.body.length > MAX_ALERT_BYTES) return answer(413, { error: `An alert body is at most ${MAX_ALERT_BYTES} bytes` });
  const signature = request.headers[SIGNATURE_HEADER];
  // Constant-time, and the same answer for "unsigned" and "badly signed": nothing to learn from it.
  if (!signatureMatches(await deps.webhookSecret(), request.body, signature)) {
    deps.logger.warn('Refused an alert that was not signed with the webhook secret', { signed: Boolean(signature) });
    return answer(401, { error: 'The alert is not signed with this receiver’s secret (X-MMS-Signature)' });
  }
  let json: unknown;
  try {
    json = JSON.parse(request.body.toString('utf8'));
  } catch {
    return answer(400, { error: 'The alert body is not JSON' });
  }
  const parsed = AtlasAlert.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return answer(400, { error: `The alert is not an Atlas alert: ${issue?.path.join('.') || '(body)'} ${issue ? ruleOf(issue) : ''}`.trim() });
  }
  const alert = parsed.data;
  const event = request.headers[EVENT_HEADER];
  if (!wakesRestores(alert)) {
    deps.logger.info('Alert does not concern restores; ignored', { eventTypeName: alert.eventTypeName, groupId: alert.groupId });
    return answer(200, { woken: 0, ignored: `event type ${alert.eventTypeName} does not concern restores` });
  }
  const now = deps.now();
  // A delivery older than the memory of deliveries could be a replay the memory has forgotten: refused,
  // so no replay outlives the memory (Atlas stamps every alert with `updated`).
  if (alert.updated !== undefined) {
    const updated = Date.parse(alert.updated);
    if (Number.isNaN(updated) || updated < now.getTime() - ALERT_MEMORY_MS) {
      deps.logger.warn('Refused a stale alert delivery (older than the delivery memory)', { groupId: alert.groupId, alertId: alert.id, updated: alert.updated });
      return answer(400, { error: `The alert's updated time (${alert.updated.slice(0, 64)}) is older than this receiver's ${ALERT_MEMORY_MS / 86_400_000}-day memory of deliveries: refused as a possible replay` });
    }
  }
  // The same signed bytes are the same delivery (a duplicate or a replay), whatever the headers
  // around them say: X-MMS-Event is not signed, so it cannot tell one delivery from another.
  const deliveryKey = createHash('sha256').update(request.body).digest('base64url');
  const received = { groupId: alert.groupId, eventTypeName: alert.eventTypeName, at: now };
  const fresh = await deps.waiters.noteAlert(received, deliveryKey, new Date(now.getTime() + ALERT_MEMORY_MS));
  if (!fresh) {
    deps.logger.info('Alert already received; nothing woken again', { groupId: alert.groupId, alertId: alert.id });
    return answer(200, { woken: 0, duplicate: true });
  }
  let woken = 0;
  for (const waiter of await deps.waiters.waiting(alert.groupId)) {
    const result = await deps.wake(waiter.token, { woken: true, at: now.toISOString(), groupId: alert.groupId, eventTypeName: alert.eventTypeName });
    if (result === 'woken') woken++;
    await deps.waiters.remove(waiter.groupId, waiter.restoreId, waiter.token);
  }
  deps.logger.info('Atlas restore alert received', { groupId: alert.groupId, eventTypeName: alert.eventTypeName, event, woken });
  return answer(200, { woken });
}

const answer = (statusCode: number, body: Record<string, unknown>): AlertResponse => ({ statusCode, body });
