import * as z from 'zod';

/**
 * A plan's name, on its own so that what only names a plan (the workflow's payload, the API's
 * queries) does not load the plans schema and, with it, the schedule checks (cron-validate), which
 * only the bundles that read the plans need.
 */
export const PlanName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1-64 letters, digits, - or _, starting with a letter or digit');
