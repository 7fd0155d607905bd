import * as z from 'zod';
import { PlanName } from '../plans/planName.js';
import { PlanOverrides } from '../plans/overrides.js';
import { Trigger } from '../plans/trigger.js';
import { StepsState } from '../postRestore/results.js';
import { DOWNLOAD_LINK_CHANNELS } from '../plans/downloadLinkChannels.js';
import { ObjectId } from '../restore/fields.js';
import { RestoreRequestSchema } from '../restore/request.js';
import { RestoreJobRef, RestoreStatus } from '../restore/status.js';

/**
 * The payloads that travel through the state machine, between the Lambda steps. lib/ builds its
 * JSONPath expressions on these field names; the handlers parse them with these schemas. Step
 * Functions keeps every payload in its execution history: nothing secret may ever be added here.
 */

export { Trigger } from '../plans/trigger.js';
export { PlanOverrides } from '../plans/overrides.js';

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
  /** When the snapshot restored was taken (Atlas's time): the restore's recovery point, for the RPO. */
  snapshotTakenAt: z.string().optional(),
  /** True when the create step attached to a job already in flight instead of creating one. */
  adopted: z.boolean(),
  /**
   * What the look before freeing the target found: each job Atlas still ran onto it when the watched
   * one ended ("Atlas made a second job …"), which the workflow then watched in its place.
   */
  quietNotes: z.array(z.string()).optional(),
  cancellable: z.boolean(),
  startedAt: z.iso.datetime(),
  deadlineAt: z.iso.datetime(),
  /**
   * Until when the workflow keeps watching a job that has not ended (after the deadline, or while
   * Atlas cannot be read), so the target's lock is never given up while Atlas may still write to it.
   */
  watchUntil: z.iso.datetime().optional(),
  /** When the target's lock lapses on its own if nobody releases it (after watchUntil). */
  lockUntil: z.iso.datetime().optional(),
  poll: z.object({ floorSeconds: z.number().int(), capSeconds: z.number().int() }),
  /**
   * Push completion (functions/core/push/): the projects whose Atlas restore alerts wake this
   * restore, and its backstop. Absent: the restore is polled only.
   */
  push: z
    .object({
      groupIds: z.array(ObjectId).min(1).max(2),
      backstopPercent: z.number().int(),
      backstopFloorSeconds: z.number().int(),
      /**
       * Whether an Atlas alert came from one of these projects lately (functions/core/push/heard.ts),
       * known at create. False: the restore is polled as usual until an alert wakes it. Absent (a
       * state from before this was known): heard.
       */
      heard: z.boolean().optional(),
    })
    .optional(),
  notify: z.object({
    sns: z.boolean(),
    eventBridge: z.boolean(),
    webhook: z.object({ format: z.enum(['slack', 'teams', 'json']), secretName: z.string() }).optional(),
    /** Channels that carry download links (absent: the SNS topic and the API). */
    downloadLinks: z.array(z.enum(DOWNLOAD_LINK_CHANNELS)).optional(),
  }),
});
export type RestoreContext = z.infer<typeof RestoreContext>;

/**
 * What the RestoreFinished? Choice does next (lib/workflow.ts): wait and poll again, cancel at the
 * deadline, send a report (the end, or an interim "still running" one), or notify that the watch is over.
 */
const NEXT_STEPS = ['wait', 'cancel', 'report'] as const;
const NextStep = z.enum(NEXT_STEPS);
type NextStep = z.infer<typeof NextStep>;

/** Interim reports sent while the job may still run, each at most once per restore. */
const NOTICES = ['STILL_RUNNING_AFTER_DEADLINE', 'NOT_VISIBLE'] as const;
export const Notice = z.enum(NOTICES);
export type Notice = z.infer<typeof Notice>;

/** The last look at Atlas that failed: its error name and message (the client redacts credentials). */
export const LookFailure = z.object({ name: z.string(), message: z.string(), at: z.iso.datetime() });

export const PollProgress = z.object({
  count: z.number().int().min(0),
  /** HTTP requests sent to Atlas for this restore so far, every step's (../orchestrate/atlasCalls.ts). */
  atlasCalls: z.number().int().min(0).optional(),
  /** Seconds the Wait state sleeps before the next poll (adaptive; see ../restore/pollPolicy.ts). */
  waitSeconds: z.number().int().min(1),
  deadlinePassed: z.boolean(),
  next: NextStep.optional(),
  /** Looks in a row that could not read the job (throttled, unavailable, auth refused, step crashed). */
  failures: z.number().int().min(0).optional(),
  lastFailure: LookFailure.optional(),
  /** The interim report to send now (with next = 'report'), and those already sent. */
  notice: Notice.optional(),
  noticesSent: z.array(Notice).optional(),
  /** The cancel step ran (asked Atlas, or learned Atlas cannot cancel this kind). */
  cancelTried: z.boolean().optional(),
  /** What became of the cancel, for every later report. */
  cancelNote: z.string().optional(),
  /**
   * When Atlas accepted our cancel (204), set when the read right after it failed. Until a later look
   * reads the job, no report says the job is still running: only "cancel accepted by Atlas at T; not seen since".
   */
  cancelAcceptedAt: z.iso.datetime().optional(),
  /** The watch limit passed with the job still not ended (or not visible): report and stop watching. */
  watchOver: z.boolean().optional(),
  /** This wait may be ended early by an Atlas alert (the WaitForAlert task, not the plain Wait). */
  untilAlert: z.boolean().optional(),
  /** When a look last read the job (the status is what was seen then): a report from failed looks says how old it is. */
  seenAt: z.iso.datetime().optional(),
  /** When the last look at Atlas was made: an alert after it may be news. */
  lookedAt: z.iso.datetime().optional(),
  /** Looks made because an alert woke the restore. */
  alertWakes: z.number().int().min(0).optional(),
  /** The last look was made because an alert woke the restore (absent: the backstop or a plain wait). */
  wokenByAlert: z.boolean().optional(),
  /** Quick re-looks still due after an alert found the job running (Atlas may show the end a little later). */
  rechecks: z.number().int().min(0).optional(),
});
export type PollProgress = z.infer<typeof PollProgress>;

/** Output of create and of every poll; input of poll, cancel and notify. */
export const WorkflowState = z.object({
  restore: RestoreContext,
  status: RestoreStatus,
  poll: PollProgress,
  /** A poll step that crashed (Lambda timeout, service error) after its retries: the next poll counts it. */
  pollError: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
  /** How the last wait ended: an alert's wake (functions/core/workflow/wake.ts) or its caught backstop timeout. */
  wake: z.unknown().optional(),
});
export type WorkflowState = z.infer<typeof WorkflowState>;

/** VERIFICATION_FAILED: Atlas restored the data, then a post-restore step failed or timed out. */
export const OUTCOMES = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED', 'TIMED_OUT', 'REFUSED', 'VERIFICATION_FAILED'] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

/** What a report can say: an end (above), or RUNNING for an interim report while the job may still run. */
export const ReportOutcome = z.enum([...OUTCOMES, 'RUNNING']);
export type ReportOutcome = z.infer<typeof ReportOutcome>;

/** A Step Functions Catch result (`ResultPath: $.error`). */
const CaughtError = z.object({ Error: z.string(), Cause: z.string().optional() });

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
  /** The run's restore id (the execution name) when create failed before making a context. */
  run: z.object({ restoreId: z.string() }).optional(),
  /** A dry run that create refused or could not check: reported, but it is no restore (no history, no outcome counted). */
  dryRun: z.boolean().optional(),
  /** The post-restore steps that ran (lib/post-restore.ts), keyed s1, s2, … in plan order. */
  steps: StepsState.optional(),
  /** Set by the state machine for notify's last try: the history could not be written on the earlier ones. */
  historyError: CaughtError.optional(),
  /** Set by the state machine for notify's dead-letter try: some channel did not take the report through the retries. */
  undelivered: CaughtError.optional(),
});
export type NotifyInput = z.infer<typeof NotifyInput>;

export const NotifyResult = z.object({
  outcome: ReportOutcome,
  /** Channels that took the message, e.g. ["sns", "eventBridge", "webhook:slack"]. */
  delivered: z.array(z.string()),
  /** Of those, the ones that took it in this run and the ones that had it from an earlier one (not sent again). */
  deliveredNow: z.array(z.string()).optional(),
  deliveredEarlier: z.array(z.string()).optional(),
  failed: z.array(z.string()),
  message: z.string(),
  /**
   * The Atlas job may still be running (an interim report): the workflow goes on watching and the
   * target stays locked; a closing report follows when the job ends.
   */
  watching: z.boolean().optional(),
  /** The report's own id (one per report: the end, each interim notice, the closing one). */
  reportId: z.string().optional(),
});
export type NotifyResult = z.infer<typeof NotifyResult>;
