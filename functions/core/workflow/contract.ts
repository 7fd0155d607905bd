import * as z from 'zod';
import { PlanName } from '../plans/schema.js';
import { DOWNLOAD_LINK_CHANNELS } from '../notify/downloadLinks.js';
import { ClusterName, ObjectId } from '../restore/fields.js';
import { RestoreRequestSchema } from '../restore/request.js';
import { RestoreJobRef, RestoreStatus } from '../restore/status.js';

/**
 * The payloads that travel through the state machine, between the Lambda steps. lib/ builds its
 * JSONPath expressions on these field names; the handlers parse them with these schemas. Step
 * Functions keeps every payload in its execution history: nothing secret may ever be added here.
 */

export const TRIGGER_TYPES = ['http', 'schedule', 'alarm', 'manual'] as const;
export const Trigger = z
  .object({
    type: z.enum(TRIGGER_TYPES),
    /** When it was triggered (alarm state change time, scheduled time, request time). ISO-8601. */
    time: z.iso.datetime({ offset: true }).optional(),
    alarmName: z.string().optional(),
    /** Who asked (IAM principal ARN for HTTP), for the report. */
    requestedBy: z.string().optional(),
  })
  .strict();
export type Trigger = z.infer<typeof Trigger>;

/** What an HTTP caller may change on a plan (only the fields the plan's allowOverrides lists). */
export const PlanOverrides = z
  .object({
    snapshotId: z.string().regex(/^[a-f0-9]{24}$/, 'must be a 24-character lowercase hex id').optional(),
    pointInTimeUTCSeconds: z.number().int().min(1_199_145_600).optional(),
    target: z.object({ groupId: ObjectId, clusterName: ClusterName }).strict().optional(),
  })
  .strict();
export type PlanOverrides = z.infer<typeof PlanOverrides>;

/** Execution input: a plan by name (schedules, alarms, HTTP) or an ad-hoc request (HTTP). */
export const ExecutionInput = z
  .object({
    planName: PlanName.optional(),
    overrides: PlanOverrides.optional(),
    request: RestoreRequestSchema.optional(),
    trigger: Trigger,
    /** Resolve and check only; create nothing. */
    dryRun: z.boolean().optional(),
  })
  .strict()
  .refine((i) => (i.planName === undefined) !== (i.request === undefined), {
    message: 'give exactly one of planName or request',
    path: ['planName'],
  });
export type ExecutionInput = z.infer<typeof ExecutionInput>;

/** Everything the later steps need to know about the restore, fixed by the create step. */
export const RestoreContext = z.object({
  /** The workflow execution name (= idempotency key): the restore's id for people. */
  restoreId: z.string(),
  planName: z.string().optional(),
  trigger: Trigger,
  request: RestoreRequestSchema,
  /** One sentence for people: what, from which snapshot or time, onto what. */
  summary: z.string(),
  job: RestoreJobRef,
  /** True when the create step attached to a job already in flight instead of creating one. */
  adopted: z.boolean(),
  cancellable: z.boolean(),
  startedAt: z.iso.datetime(),
  deadlineAt: z.iso.datetime(),
  poll: z.object({ floorSeconds: z.number().int(), capSeconds: z.number().int() }),
  notify: z.object({
    sns: z.boolean(),
    eventBridge: z.boolean(),
    webhook: z.object({ format: z.enum(['slack', 'teams', 'json']), secretName: z.string() }).optional(),
    /** Channels that carry download links (absent: the SNS topic and the API). */
    downloadLinks: z.array(z.enum(DOWNLOAD_LINK_CHANNELS)).optional(),
  }),
});
export type RestoreContext = z.infer<typeof RestoreContext>;

export const PollProgress = z.object({
  count: z.number().int().min(0),
  /** Seconds the Wait state sleeps before the next poll (adaptive; see ../restore/pollPolicy.ts). */
  waitSeconds: z.number().int().min(1),
  deadlinePassed: z.boolean(),
});

/** Output of create and of every poll; input of poll, cancel and notify. */
export const WorkflowState = z.object({
  restore: RestoreContext,
  status: RestoreStatus,
  poll: PollProgress,
});
export type WorkflowState = z.infer<typeof WorkflowState>;

export const OUTCOMES = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED', 'TIMED_OUT', 'REFUSED'] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

/** A Step Functions Catch result (`ResultPath: $.error`). */
export const CaughtError = z.object({ Error: z.string(), Cause: z.string().optional() });

/**
 * Notify's input: either a WorkflowState that reached an end (maybe with `error` when a step was
 * caught), or the bare execution input plus `error` when create itself failed or refused.
 */
export const NotifyInput = z.object({
  restore: RestoreContext.optional(),
  status: RestoreStatus.optional(),
  poll: PollProgress.optional(),
  /** Present when create failed: the original request, to say what was refused. */
  planName: z.string().optional(),
  request: z.unknown().optional(),
  trigger: Trigger.optional(),
  error: CaughtError.optional(),
});
export type NotifyInput = z.infer<typeof NotifyInput>;

export const NotifyResult = z.object({
  outcome: Outcome,
  /** Channels that took the message, e.g. ["sns", "eventBridge", "webhook:slack"]. */
  delivered: z.array(z.string()),
  failed: z.array(z.string()),
  message: z.string(),
});
export type NotifyResult = z.infer<typeof NotifyResult>;
