import * as z from 'zod';

/**
 * Post-restore steps: what a plan runs, in order, once Atlas says the restore SUCCEEDED and before
 * the target is freed (masking personal data on a staging refresh, checking a recovery before traffic
 * goes back). Each step is a Lambda function invoked with the step input (./stepInput.ts) or a Step
 * Functions state machine run to completion. The stack grants exactly these ARNs at synth
 * (lib/post-restore.ts), so they are fixed in the plans file, never taken from a request.
 */

/** Also the key of the step's result in the workflow state and in reports: short and readable. */
const StepName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'must be 1-40 letters, digits, - or _, starting with a letter or digit');

/** An unqualified or qualified (version, alias) Lambda function ARN, in any partition. */
const LambdaArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]{1,128})?$/,
    'must be a Lambda function ARN, e.g. arn:aws:lambda:eu-west-1:123456789012:function:verify-restore',
  );

const StateMachineArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/,
    'must be a Step Functions state machine ARN, e.g. arn:aws:states:eu-west-1:123456789012:stateMachine:mask-staging',
  );

/** Lambda runs at most 15 minutes; a state machine step may run a day (a long masking job). */
const MAX_LAMBDA_STEP_SECONDS = 900;
const MAX_STATE_MACHINE_STEP_SECONDS = 24 * 60 * 60;

export const PostRestoreStep = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('lambda'),
      name: StepName,
      functionArn: LambdaArn,
      timeoutSeconds: z.number().int().min(1).max(MAX_LAMBDA_STEP_SECONDS).default(300),
    })
    .strict(),
  z
    .object({
      type: z.literal('stateMachine'),
      name: StepName,
      stateMachineArn: StateMachineArn,
      timeoutSeconds: z.number().int().min(1).max(MAX_STATE_MACHINE_STEP_SECONDS).default(3600),
    })
    .strict(),
]);
export type PostRestoreStep = z.infer<typeof PostRestoreStep>;

/** Ten at most: each step adds four states to the one state machine every plan shares. */
export const PostRestoreSteps = z
  .array(PostRestoreStep)
  .min(1)
  .max(10)
  .superRefine((steps, ctx) => {
    const seen = new Set<string>();
    steps.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate step name "${s.name}"` });
      seen.add(s.name);
    });
  });
