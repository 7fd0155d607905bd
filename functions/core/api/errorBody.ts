import * as z from 'zod';

/** Where a restore can be followed and cancelled: in error answers too (a busy target names the restore that holds it). */
export const RestoreLinks = z.object({ self: z.string(), cancel: z.string() }).strict();

/**
 * Every error answer: `error` a stable word a program can branch on, `message` for a person, and
 * the few extras some errors carry. Never a stack trace.
 */
export const ApiErrorBody = z
  .object({
    error: z.string(),
    message: z.string(),
    /** ValidationError: each offending field by path and rule (at most 10), and how many were left out. */
    fields: z.array(z.object({ path: z.string(), rule: z.string() }).strict()).optional(),
    fieldsOmitted: z.number().int().optional(),
    /** A guard's refusal code (TARGET_BUSY, TARGET_HELD, TRIGGER_NOT_ALLOWED, ...). */
    code: z.string().optional(),
    restoreId: z.string().optional(),
    links: RestoreLinks.optional(),
    /** A cancel refused for a job Atlas cannot cancel: its kind. */
    kind: z.string().optional(),
    /** A cancel refused while the create's outcome is unknown: when the create was sent. */
    createSentAt: z.iso.datetime().optional(),
    /** 500: the request id to find the log line under. */
    requestId: z.string().optional(),
    /** Atlas's own status and error code, when Atlas refused. */
    atlasStatus: z.number().int().optional(),
    atlasErrorCode: z.string().optional(),
  })
  .strict();
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
