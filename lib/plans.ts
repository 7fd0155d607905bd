import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { planGuardsTarget } from '../functions/core/plans/collectionPlan.js';
import { protectingPattern } from '../functions/core/plans/guards.js';
import { clusterPatternsOverlap } from '../functions/core/domain/cluster.js';
import { harmOfPlan, harmWords } from '../functions/core/plans/targetHarm.js';
import { ruleOf, suggestingFields } from '../functions/core/domain/issueRule.js';
import { ConfigError } from './config-error.js';
import { PlanName, PlansConfig, type Plan, type ProtectedTarget } from '../functions/core/plans/schema.js';

export { clusterPatternMatches } from '../functions/core/plans/guards.js';

/**
 * Loads and checks the plans file at synth time, so a bad plan stops `cdk synth` (and the tests)
 * instead of failing at 3 a.m. inside a Lambda. Every message names the file, the plan and the
 * setting, because the person reading it has only the file open.
 */

export const DEFAULT_PLANS_FILE = 'config/plans.json';

/** Reads `file` (relative to the working directory, as `cdk synth` runs from the project root). */
export function loadPlansFile(file: string = DEFAULT_PLANS_FILE): PlansConfig {
  return validatePlansConfig(readPlansFile(file), file);
}

/** The plans file's JSON as written (no defaults applied), or a ConfigError naming the file. */
export function readPlansFile(file: string = DEFAULT_PLANS_FILE): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`Plans file not found or unreadable (${file}): ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`Invalid plans config (${file}): not valid JSON: ${(err as Error).message}`);
  }
  return raw;
}

/**
 * Parses with the domain schema (defaults applied), then applies the rules only the deployment can
 * check as a whole (protected targets). `label` names the source in messages.
 */
export function validatePlansConfig(raw: unknown, label: string = DEFAULT_PLANS_FILE): PlansConfig {
  // A misspelt setting (`deadlineMinuets`) is named with the one probably meant.
  const parsed = PlansConfig.safeParse(raw, { error: suggestingFields });
  if (!parsed.success) {
    throw new ConfigError(`Invalid plans config (${label}): ${describeIssues(parsed.error, raw).join('; ')}`);
  }
  const problems = [
    ...parsed.data.plans.flatMap((plan) => protectedTargetProblems(plan, parsed.data.protectedTargets)),
    ...adHocProblems(parsed.data),
  ];
  if (problems.length) throw new ConfigError(`Invalid plans config (${label}): ${problems.join('; ')}`);
  return parsed.data;
}

/** `plan "nightly-staging" restore.target.clusterName: is not a valid cluster name` per issue. */
function describeIssues(error: z.ZodError, raw: unknown): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String);
    if (path[0] === 'plans' && path.length >= 2) {
      const index = Number(path[1]);
      const setting = path.slice(2).join('.');
      return `${planLabel(raw, index)}${setting ? ` ${setting}` : ''}: ${ruleOf(issue)}`;
    }
    return `${path.join('.') || '(root)'}: ${ruleOf(issue)}`;
  });
}

/** The plan's name when it is a valid one, else its position (a broken name would only confuse). */
function planLabel(raw: unknown, index: number): string {
  const plans = (raw as { plans?: unknown } | null)?.plans;
  const name = Array.isArray(plans) ? (plans[index] as { name?: unknown } | undefined)?.name : undefined;
  return PlanName.safeParse(name).success ? `plan "${String(name)}"` : `plan at index ${index}`;
}

/** The cluster a plan would overwrite, or undefined for downloads (nothing is overwritten). */
function destructiveTarget(plan: Plan): { groupId: string; clusterName: string } | undefined {
  return planGuardsTarget(plan, undefined);
}

function protectedTargetProblems(plan: Plan, protectedTargets: readonly ProtectedTarget[]): string[] {
  const target = destructiveTarget(plan);
  if (!target) return [];
  const pattern = protectingPattern(target, protectedTargets);
  if (pattern === undefined) return [];
  return [
    `plan "${plan.name}" restore.target: cluster "${target.clusterName}" in project ${target.groupId} is protected ` +
      `(protectedTargets pattern "${pattern}"): ${harmWords(harmOfPlan(plan), 'target')}, so a ${plan.restore.type} restore may never target it`,
  ];
}

/**
 * An ad-hoc target pattern that shares any name with a protected pattern of the same project (`*`,
 * `p*` or `*-cluster` beside `prod-*`) opens a door the runtime then shuts on every such name: say
 * so at synth, where the person who wrote it is reading, and let them narrow it.
 */
function adHocProblems(cfg: PlansConfig): string[] {
  return (cfg.adHoc?.restores ?? []).flatMap((rule, i) =>
    rule.targets.flatMap((entry, j) =>
      entry.clusters.flatMap((pattern, k) => {
        const cover = cfg.protectedTargets
          .filter((p) => p.groupId === entry.groupId)
          .flatMap((p) => p.clusters)
          .find((protectedPattern) => clusterPatternsOverlap(pattern, protectedPattern));
        return cover === undefined
          ? []
          : [
              `adHoc.restores.${i}.targets.${j}.clusters.${k}: "${pattern}" in project ${entry.groupId} covers protected names (protectedTargets pattern "${cover}"); ` +
                'an ad-hoc restore may never target them: narrow the pattern so that it matches no protected cluster',
            ];
      }),
    ),
  );
}

/**
 * Closed unless listed: `triggers.http` and `triggers.manual` are false unless a plan says true.
 * A plan that leaves either unsaid changed behaviour when that default closed (both were open
 * before): synth names each such plan and what to add, so nobody learns it from a refused start.
 * Saying the value (true or false) silences it.
 */
export function closedTriggerWarnings(raw: unknown): { plan: string; trigger: 'http' | 'manual'; warning: string }[] {
  const plans = (raw as { plans?: unknown } | null)?.plans;
  if (!Array.isArray(plans)) return [];
  const who = { http: 'an HTTP caller (POST /restores)', manual: 'an operator (npm run restore -- run, states:StartExecution)' } as const;
  return plans.flatMap((plan: unknown, index) => {
    const triggers = (plan as { triggers?: unknown } | null)?.triggers;
    const said = triggers && typeof triggers === 'object' ? (triggers as Record<string, unknown>) : {};
    return (['http', 'manual'] as const)
      .filter((trigger) => said[trigger] === undefined)
      .map((trigger) => ({
        plan: planLabel(raw, index).replace(/^plan "(.*)"$/, '$1'),
        trigger,
        warning:
          `${planLabel(raw, index)} does not list triggers.${trigger}, so ${who[trigger]} can no longer start it (triggers are closed unless listed). ` +
          `Add "${trigger}": true to its triggers to keep that, or "${trigger}": false to say it is meant.`,
      }));
  });
}

/** Plans that a schedule starts, and plans that alarms start: what lib/triggers.ts builds on. */
export const scheduledPlans = (cfg: PlansConfig) => cfg.plans.filter((p) => p.triggers.schedule !== undefined);
export const alarmPlans = (cfg: PlansConfig) => cfg.plans.filter((p) => p.triggers.alarms.length > 0);

/** Secret names of every webhook the plans notify: notify may read these and nothing else. */
export function webhookSecretNames(cfg: PlansConfig): string[] {
  return [...new Set(cfg.plans.flatMap((p) => (p.notify.webhook ? [p.notify.webhook.secretName] : [])))].sort();
}
