import { ENV } from '../core/domain/observability.js';
import { PlansConfig } from '../core/plans/schema.js';
import { localEnvironment } from './local.js';

/**
 * The plans, as lib/ inlined them at build time, or the local world's (`useLocalEnvironment`). Its
 * own module so the submit Lambda can read plans without loading the Atlas client and the restore
 * kinds, and so the steps that read no plans (poll, cancel) bundle neither the plans schema nor its
 * schedule checks (cron-validate): only the handlers that read plans pass `loadPlansConfig` on.
 */

/**
 * Written out as `process.env.RESTORE_PLANS_JSON` on purpose: lib/ inlines the plans with an esbuild
 * `define` on exactly that expression; a computed `process.env[name]` would not be replaced.
 */
export function loadPlansConfig(): PlansConfig {
  const local = localEnvironment()?.plans;
  if (local) return local;
  const json = process.env.RESTORE_PLANS_JSON;
  if (!json) throw new Error(`${ENV.plansJson} is not set: the plans are inlined at build time by lib/functions.ts`);
  return PlansConfig.parse(JSON.parse(json));
}
