import { cancelRestoreStep } from '../core/orchestrate/cancel.js';
import { stepHandler } from '../runtime/step.js';

/** Step Functions task CancelRestore: see functions/core/orchestrate/cancel.ts. */
export const handler = stepHandler({}, cancelRestoreStep);
