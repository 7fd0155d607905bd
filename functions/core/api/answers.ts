import * as z from 'zod';
import { HistoryAnswer as HistoryRecordsAnswer } from '../history/answer.js';
import { TargetHold } from '../orchestrate/holds.js';
import { RestoreRequestSchema } from '../restore/request.js';
import { Snapshot } from '../restore/snapshots.js';
import { RestoreStatus } from '../restore/status.js';
import { ExecutionInput } from '../workflow/contract.js';
import { WORKFLOW_STATUSES } from './executions.js';
import { json, type ApiResponse } from './responses.js';
import { RestoreLinks } from './errorBody.js';

export { ApiErrorBody } from './errorBody.js';

/**
 * The bodies the API answers with, as zod schemas: the handlers build each answer as the schema's
 * type (`answer` below), the OpenAPI document describes each response with the same schema
 * (./openapi.ts), and test/unit/api/openapi.test.ts validates every answer it provokes against
 * the document. A field added to an answer without its schema does not compile.
 */

const AnyObject = z.record(z.string(), z.unknown());


/** The Step Functions execution behind a restore. */
const WorkflowView = z
  .object({
    status: z.enum(WORKFLOW_STATUSES),
    startedAt: z.string().optional(),
    stoppedAt: z.string().optional(),
  })
  .strict();

/** 202 of `POST /restores`: started, or the same request with the same key is still running. */
export const RestoreStarted = z.object({ restoreId: z.string(), status: z.literal('STARTED'), links: RestoreLinks }).strict();
export type RestoreStarted = z.infer<typeof RestoreStarted>;

/** 200 of `POST /restores`: this request already ran under this key; nothing new was started. */
export const RestoreAlreadyRan = z
  .object({ restoreId: z.string(), status: z.literal('FINISHED'), workflow: WorkflowView, message: z.string(), links: RestoreLinks })
  .strict();
export type RestoreAlreadyRan = z.infer<typeof RestoreAlreadyRan>;

/** What a dry run found: what would be done and what was checked (the create step, told to create nothing). */
export const DryRunDetails = z
  .object({
    planName: z.string().optional(),
    summary: z.string(),
    request: RestoreRequestSchema,
    snapshot: Snapshot.optional(),
    checks: z
      .array(z.string())
      .describe(
        'Every check that passed, one line each with the fact it used: the plan and guards, then the preflight (the key\'s roles, the target cluster, the restore window), e.g. "target staging-cluster runs 8.0, snapshot 7.0: next major, allowed"',
      ),
    /** An Atlas job in flight for the same request that a real run would adopt. */
    wouldAdoptJobId: z.string().optional(),
    deadlineMinutes: z.number().int(),
  })
  .strict();
export type DryRunDetails = z.infer<typeof DryRunDetails>;

/** 200 of `POST /restores?dryRun=true`. */
export const DryRunAnswer = DryRunDetails.extend({ dryRun: z.literal(true), input: ExecutionInput }).strict();
export type DryRunAnswer = z.infer<typeof DryRunAnswer>;

/** A hold as the API shows it: `until` is "released" for a hold that lasts until someone releases it. */
export const HoldView = TargetHold.extend({
  until: z.union([z.iso.datetime(), z.literal('released')]),
  links: z.object({ release: z.string() }).strict(),
}).strict();
export type HoldView = z.infer<typeof HoldView>;

/** 200 of `GET /restores/{id}`: what people need, nothing internal (no notify settings). */
export const RestoreView = z
  .object({
    restoreId: z.string(),
    workflow: WorkflowView,
    /** What was asked, as the execution input holds it: the plan, overrides or request, and who asked when. */
    requested: z
      .object({ planName: z.string().optional(), overrides: AnyObject.optional(), request: AnyObject.optional(), trigger: AnyObject.optional() })
      .strict()
      .optional(),
    restore: z
      .object({
        planName: z.string().optional(),
        summary: z.string(),
        kind: z.string(),
        jobId: z.string().optional(),
        jobIds: z.array(z.string()).optional(),
        batchId: z.string().optional(),
        adopted: z.boolean(),
        cancellable: z.boolean(),
        startedAt: z.string(),
        deadlineAt: z.string(),
      })
      .strict()
      .optional(),
    status: RestoreStatus.optional(),
    polls: z.number().int().optional(),
    /** HTTP requests sent to Atlas for the restore so far (create, looks, Digest challenges, retries). */
    atlasCalls: z.number().int().optional(),
    outcome: z.string().optional(),
    message: z.string().optional(),
    error: z.object({ error: z.string(), message: z.string().optional() }).strict().optional(),
    targetHold: HoldView.optional(),
    links: RestoreLinks,
  })
  .strict();
export type RestoreView = z.infer<typeof RestoreView>;

/** 202 of `POST /restores/{id}/cancel`. */
export const CancelAnswer = z
  .object({ restoreId: z.string(), status: z.enum(['CANCELLED', 'CANCELLING']), message: z.string(), links: RestoreLinks })
  .strict();
export type CancelAnswer = z.infer<typeof CancelAnswer>;

/**
 * 200 of `GET /restores?plan=`: the history's own answer schema (../history/answer.ts, which
 * `history --api` reads back leniently), held strictly here so the document and the handler agree.
 */
export const HistoryAnswer = HistoryRecordsAnswer.extend({ since: z.iso.datetime() }).strict();
export type HistoryAnswer = z.infer<typeof HistoryAnswer>;

/** 200 of `GET /restores/holds`. */
export const HoldsList = z.object({ holds: z.array(HoldView) }).strict();
export type HoldsList = z.infer<typeof HoldsList>;

/** 201 of `POST /restores/holds`: `replaced` is the hold this one replaced. */
export const HoldPlaced = z.object({ hold: HoldView, replaced: HoldView.optional(), message: z.string() }).strict();
export type HoldPlaced = z.infer<typeof HoldPlaced>;

/** 200 of `DELETE /restores/holds/{groupId}/{clusterName}` and its POST twin. */
export const HoldReleased = z.object({ released: HoldView, releasedBy: z.string(), message: z.string() }).strict();
export type HoldReleased = z.infer<typeof HoldReleased>;


/** A JSON answer whose body is typed by its schema. */
export function answer<S extends z.ZodType>(_schema: S, statusCode: number, body: z.output<S>, headers: Record<string, string> = {}): ApiResponse {
  return json(statusCode, body, headers);
}
