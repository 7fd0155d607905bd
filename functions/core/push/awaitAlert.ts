import * as z from 'zod';
import { ObjectId } from '../restore/fields.js';
import { parseStepInput } from '../orchestrate/input.js';
import type { AlertWaiters } from './waiters.js';
import type { WakeTask } from '../workflow/wake.js';

/**
 * The WaitForAlert task (lib/workflow.ts): Step Functions hands this step a task token and waits
 * until someone completes it or the backstop delay (the task's timeout) passes. The step only
 * registers the token under the restore's projects for the alert receiver to find; if an alert
 * for one of them came after the restore's last look, the wait is already over and the step
 * completes it at once.
 */
const AwaitAlertInput = z.object({
  taskToken: z.string().min(1),
  restoreId: z.string().min(1),
  groupIds: z.array(ObjectId).min(1).max(2),
  /** When the restore last looked at Atlas (ISO): an alert after it may be news. */
  since: z.iso.datetime(),
  /** The backstop: the wait ends by itself after this long. */
  waitSeconds: z.number().int().min(1),
});
type AwaitAlertInput = z.infer<typeof AwaitAlertInput>;

export interface AwaitAlertDeps {
  waiters: AlertWaiters;
  wake: WakeTask;
  now(): Date;
}

/** Kept a little past the backstop: a late alert then finds a token Step Functions calls gone, which is harmless. */
const KEEP_AFTER_BACKSTOP_MS = 5 * 60 * 1000;

export async function awaitAlertStep(payload: unknown, deps: AwaitAlertDeps): Promise<{ registered: number; wokenAtOnce: boolean }> {
  const input = parseStepInput(AwaitAlertInput, payload, 'wait-for-alert input');
  const now = deps.now();
  const until = new Date(now.getTime() + input.waitSeconds * 1000 + KEEP_AFTER_BACKSTOP_MS);
  const groupIds = [...new Set(input.groupIds)];
  for (const groupId of groupIds) await deps.waiters.register({ groupId, restoreId: input.restoreId, token: input.taskToken, until });
  const since = Date.parse(input.since);
  for (const groupId of groupIds) {
    const last = await deps.waiters.lastAlert(groupId);
    if (last && last.at.getTime() > since) {
      await deps.wake(input.taskToken, { woken: true, at: last.at.toISOString(), groupId, eventTypeName: last.eventTypeName, missed: true });
      for (const g of groupIds) await deps.waiters.remove(g, input.restoreId, input.taskToken);
      return { registered: groupIds.length, wokenAtOnce: true };
    }
  }
  return { registered: groupIds.length, wokenAtOnce: false };
}
