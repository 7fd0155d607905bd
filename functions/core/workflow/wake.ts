import * as z from 'zod';

/**
 * What ends a wait early: the output of the WaitForAlert task when an alert (or the registration
 * finding one it had missed) completes it. The workflow keeps it under `$.wake` for the next poll;
 * a wait that ran its full backstop leaves a caught States.Timeout there instead.
 */
export const AlertWake = z.object({
  woken: z.literal(true),
  /** When the alert reached us (ISO), and what it was. */
  at: z.iso.datetime(),
  groupId: z.string(),
  eventTypeName: z.string(),
  /** The registration found the alert had come between the last look and the wait. */
  missed: z.boolean().optional(),
});
export type AlertWake = z.infer<typeof AlertWake>;

/** Completes a waiting task (Step Functions SendTaskSuccess, or the local runner's stand-in). */
export type WakeTask = (token: string, wake: AlertWake) => Promise<'woken' | 'gone'>;

/** Step Functions' answers for a token whose wait already ended (timed out, woken, execution over): nothing to do. */
export const GONE_TOKEN_ERRORS: ReadonlySet<string> = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export const isAlertWake = (value: unknown): value is AlertWake => AlertWake.safeParse(value).success;

/**
 * A restore that listens for alerts but polls as usual: its projects had not alerted when it was
 * created, and no alert has woken it since. The one rule the wait, the report and the progress
 * lines all follow. A state from before `heard` existed counts as heard.
 */
export function pollsUntilHeard(push: { heard?: boolean | undefined } | undefined, poll: { alertWakes?: number | undefined } | undefined): boolean {
  return push?.heard === false && !poll?.alertWakes;
}
