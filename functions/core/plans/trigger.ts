import * as z from 'zod';

/** What started a restore: a plan's `triggers` say which of these may start it. */
const TRIGGER_TYPES = ['http', 'schedule', 'alarm', 'manual'] as const;
export const Trigger = z
  .object({
    type: z.enum(TRIGGER_TYPES),
    /** When it was triggered (alarm state change time, scheduled time, request time). ISO-8601. */
    time: z.iso.datetime({ offset: true }).optional(),
    alarmName: z.string().optional(),
    /** Who asked (IAM principal ARN for HTTP), for the report. */
    requestedBy: z.string().optional(),
    /** The EventBridge event's id (alarm rules): with the time, what makes a repeated delivery recognisable. */
    eventId: z.string().max(128).optional(),
  })
  .strict();
export type Trigger = z.infer<typeof Trigger>;
