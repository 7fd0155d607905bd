import { pollRestoreStep } from '../core/orchestrate/poll.js';
import { stepHandler } from '../runtime/step.js';

/** Step Functions task PollRestore: see functions/core/orchestrate/poll.ts. */
export const handler = stepHandler({}, pollRestoreStep);
