import { ENV } from '../core/domain/observability.js';
import { PlansConfig } from '../core/plans/schema.js';

/**
 * The plans, as lib/ inlined them at build time. Its own module so the submit Lambda can read plans
 * without loading the Atlas client and the restore kinds.
 */

let localPlans: PlansConfig | undefined;

/** Local runs and tests: use these plans instead of the inlined ones (`undefined` to stop). */
export function useLocalPlans(plans: PlansConfig | undefined): void {
  localPlans = plans;
}

/**
 * Written out as `process.env.RESTORE_PLANS_JSON` on purpose: lib/ inlines the plans with an esbuild
 * `define` on exactly that expression; a computed `process.env[name]` would not be replaced.
 */
export function loadPlansConfig(): PlansConfig {
  if (localPlans) return localPlans;
  const json = process.env.RESTORE_PLANS_JSON;
  if (!json) throw new Error(`${ENV.plansJson} is not set: the plans are inlined at build time by lib/functions.ts`);
  return PlansConfig.parse(JSON.parse(json));
}
