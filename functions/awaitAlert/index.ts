import type { Context } from 'aws-lambda';
import { awaitAlertStep } from '../core/push/awaitAlert.js';
import { now } from '../runtime/local.js';
import { powertools } from '../runtime/powertools.js';
import { alertWaiters, wakeTask } from '../runtime/push.js';

/** Step Functions task WaitForAlert (callback): see functions/core/push/awaitAlert.ts. */
const { logger } = powertools();

export const handler = async (payload: unknown, context?: Context): Promise<unknown> => {
  if (context) logger.addContext(context);
  const restoreId = (payload as { restoreId?: unknown } | null)?.restoreId;
  if (typeof restoreId === 'string') logger.appendKeys({ restoreId });
  try {
    const result = await awaitAlertStep(payload, { waiters: await alertWaiters(), wake: await wakeTask(), now });
    logger.info('Waiting for an Atlas alert or the backstop', result);
    return result;
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    logger.error('Could not register the wait for an alert', { errorName: error.name, errorMessage: error.message });
    throw error;
  } finally {
    logger.resetKeys();
  }
};
