import * as z from 'zod';
import { PlanOverrides } from '../workflow/contract.js';
import { PlanName } from '../plans/schema.js';
import { RestoreRequestSchema } from '../restore/request.js';

/**
 * What the HTTP API accepts. The restore id is the Step Functions execution name, so the
 * idempotency key and the path id follow the execution-name rules we allow (a safe subset:
 * letters, digits, - and _, at most 80 characters).
 */

const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const EXECUTION_NAME_RULE = 'must be 1-80 characters of letters, digits, - or _';

/** `Idempotency-Key` header: becomes the execution name, i.e. the restore id. */
export const IdempotencyKey = z.string().regex(EXECUTION_NAME, EXECUTION_NAME_RULE);

/** `{id}` in `/restores/{id}`: a restore id is an execution name. */
export const RestoreId = z.string().regex(EXECUTION_NAME, EXECUTION_NAME_RULE);

/** `POST /restores`: a plan by name (with the overrides it allows), or a full ad-hoc request. */
export const SubmitRestoreBody = z
  .object({
    plan: PlanName.optional(),
    overrides: PlanOverrides.optional(),
    request: RestoreRequestSchema.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if ((b.plan === undefined) === (b.request === undefined))
      ctx.addIssue({ code: 'custom', path: ['plan'], message: 'give exactly one of plan or request' });
    if (b.overrides !== undefined && b.plan === undefined)
      ctx.addIssue({ code: 'custom', path: ['overrides'], message: 'only apply to a plan; an ad-hoc request says everything itself' });
  })
  // The two rules above, as JSON Schema says them, for the OpenAPI document (./openapi.ts).
  .meta({ oneOf: [{ required: ['plan'] }, { required: ['request'] }], dependentRequired: { overrides: ['plan'] } });
export type SubmitRestoreBody = z.infer<typeof SubmitRestoreBody>;

/** `?dryRun=true|false` (absent means false); anything else is a mistake worth a 400. */
export const DryRunFlag = z
  .enum(['true', 'false'], { message: 'must be true or false' })
  .optional()
  .transform((v) => v === 'true');
