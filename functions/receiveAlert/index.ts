import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { receiveAlert } from '../core/push/receive.js';
import { now } from '../runtime/local.js';
import { powertools } from '../runtime/powertools.js';
import { alertWaiters, alertWebhookSecret, wakeTask } from '../runtime/push.js';

/**
 * POST /alerts (API Gateway proxy, no IAM: Atlas cannot sign SigV4): the alert receiver, see
 * functions/core/push/receive.ts. Any failure of ours is a 500 with no detail; the detail is in the log.
 */
const { logger } = powertools();

export const handler = async (event: APIGatewayProxyEvent, context?: Context): Promise<APIGatewayProxyResult> => {
  if (context) logger.addContext(context);
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v ?? undefined]));
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  try {
    const { statusCode, body: answer } = await receiveAlert(
      { headers, body },
      { webhookSecret: alertWebhookSecret, waiters: await alertWaiters(), wake: await wakeTask(), now, logger },
    );
    return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer) };
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    logger.error('Could not take an Atlas alert', { errorName: error.name, errorMessage: error.message });
    return { statusCode: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'The alert could not be taken; Atlas may send it again' }) };
  }
};
