import * as z from 'zod';
import { AlertsSettings } from './alertsSettings.js';
import { ClusterName, ClusterPattern, ObjectId } from '../restore/fields.js';
import { RESTORE_KIND_NAMES } from '../restore/request.js';
import { PlanRestore } from './planRestore.js';
import { CooldownMinutes, HoldAfterSuccess } from './runRules.js';
import { DEFAULT_DOWNLOAD_LINK_CHANNELS, DOWNLOAD_LINK_CHANNELS } from './downloadLinkChannels.js';
import { AdHocPolicy } from './adHoc.js';
import { sameCluster } from '../domain/cluster.js';
import { SecretName } from './secretName.js';
import { tenantPlanRule } from '../restore/tenantRetired.js';
import { collectionPlanProblems, planGuardsTarget } from './collectionPlan.js';
import { PostRestoreSteps } from '../postRestore/schema.js';
import { DrillSettings } from './drillSettings.js';
import { CRON_EXAMPLE, cronProblems, RATE_EXAMPLE, rateProblems } from './scheduleExpression.js';
import { PlanName } from './planName.js';
import { DEFAULT_POLL, DEFAULT_RUN_LIMITS, MAX_CREATE_SETTLE_SECONDS, MAX_DEADLINE_MINUTES, MAX_WATCH_MINUTES } from './runLimits.js';

/**
 * Plans: named, typed restore recipes, kept in a config file (config/plans.json by default) and
 * validated here at synth time (lib/ calls `parsePlansConfig`) and again by the handlers at run time.
 */

export { PlanName };

export { PointInTimeRule } from './planRestore.js';

export const WebhookChannel = z
  .object({
    format: z.enum(['slack', 'teams', 'json']),
    /** Secrets Manager secret whose SecretString is the webhook URL (or JSON {"url": ...}). */
    secretName: SecretName,
  })
  .strict();

/** An expression checked by `problems` (./scheduleExpression.ts); the message quotes it, as people compare it with their file. */
const Expression = (problems: (e: string) => string[]) =>
  z.string().superRefine((e, ctx) => problems(e).forEach((p) => ctx.addIssue({ code: 'custom', message: `${e}: ${p}` })));

const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Paris or UTC');

export { DEFAULT_POLL, DEFAULT_RUN_LIMITS, MAX_CREATE_SETTLE_SECONDS, MAX_DEADLINE_MINUTES, MAX_WATCH_MINUTES };

export const OVERRIDABLE = ['snapshotId', 'pointInTime', 'target'] as const;

export const Plan = z
  .object({
    name: PlanName,
    description: z.string().max(500).optional(),
    source: z
      .object({ kind: z.enum(RESTORE_KIND_NAMES), groupId: ObjectId, clusterName: ClusterName })
      .strict(),
    restore: PlanRestore,
    /** Recovery plans may restore a cluster onto itself; everything else is refused. */
    allowRestoreOntoSource: z.boolean().default(false),
    /** Give up (cancel where Atlas allows, then report TIMED_OUT) after this long. */
    deadlineMinutes: z.number().int().min(5).max(MAX_DEADLINE_MINUTES).default(DEFAULT_RUN_LIMITS.deadlineMinutes),
    /**
     * After the deadline, or while Atlas cannot be read (a revoked key, an outage), keep the target
     * locked and keep looking at a job that has not ended for this long, then report and stop.
     */
    watchAfterEndMinutes: z.number().int().min(0).max(MAX_WATCH_MINUTES).default(DEFAULT_RUN_LIMITS.watchAfterEndMinutes),
    /** A create whose answer was lost is looked for over this long before it may be sent again. */
    createSettleSeconds: z.number().int().min(10).max(MAX_CREATE_SETTLE_SECONDS).default(DEFAULT_RUN_LIMITS.createSettleSeconds),
    /** Adaptive polling: the wait grows with the restore's age between these bounds. */
    poll: z
      .object({
        floorSeconds: z.number().int().min(5).max(300).default(DEFAULT_POLL.floorSeconds),
        capSeconds: z.number().int().min(30).max(3600).default(DEFAULT_POLL.capSeconds),
      })
      .strict()
      .refine((p) => p.capSeconds >= p.floorSeconds, { message: 'capSeconds must be at least floorSeconds', path: ['capSeconds'] })
      .default({ ...DEFAULT_POLL }),
    notify: z
      .object({
        sns: z.boolean().default(true),
        eventBridge: z.boolean().default(true),
        webhook: WebhookChannel.optional(),
        /** Which channels carry pre-signed download links (they are the data): the SNS topic and the API by default. */
        downloadLinks: z.array(z.enum(DOWNLOAD_LINK_CHANNELS)).default([...DEFAULT_DOWNLOAD_LINK_CHANNELS]),
      })
      .strict()
      .default({ sns: true, eventBridge: true, downloadLinks: [...DEFAULT_DOWNLOAD_LINK_CHANNELS] }),
    /**
     * Closed unless listed: a plan runs only from the triggers it names. `http` and `manual` are
     * false unless the plan says true; a schedule and alarms only when given (lib/plans.ts warns at
     * synth about each plan that leaves `http` or `manual` unsaid).
     */
    triggers: z
      .object({
        http: z.boolean().default(false),
        schedule: z
          .object({ cron: Expression(cronProblems).optional(), rate: Expression(rateProblems).optional(), timeZone: TimeZone.default('UTC') })
          .strict()
          .refine((s) => (s.cron === undefined) !== (s.rate === undefined), `needs exactly one of cron (e.g. ${CRON_EXAMPLE}) and rate (e.g. ${RATE_EXAMPLE})`)
          .optional(),
        alarms: z.array(z.string().min(1).max(255)).default([]),
        /**
         * An operator starting the workflow directly (states:StartExecution, or the local CLI's
         * `run`). Nothing else can say `manual`: the API always says `http`, schedules and alarm
         * rules say their own type with inputs fixed at synth.
         */
        manual: z.boolean().default(false),
      })
      .strict()
      .default({ http: false, alarms: [], manual: false }),
    /** What an HTTP caller may change when starting this plan. */
    allowOverrides: z.array(z.enum(OVERRIDABLE)).default([]),
    /** Keep the target held after a successful restore (see ./runRules.ts). */
    holdAfterSuccess: HoldAfterSuccess.optional(),
    /** Refuse a run that starts less than this many minutes after the plan's last start. */
    cooldownMinutes: CooldownMinutes.optional(),
    /** Run after a successful restore, in order, before the target is freed (../postRestore/schema.ts). */
    postRestore: PostRestoreSteps.optional(),
    /** A restore drill: its runs are the backup evidence; alarms when one fails or none passed lately (./drillSettings.ts). */
    drill: DrillSettings.optional(),
  })
  .strict()
  .superRefine((plan, ctx) => {
    const dedicated = plan.source.kind === 'cloud' || plan.source.kind === 'legacy';
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (plan.source.kind === 'tenant') problem(['source', 'kind'], tenantPlanRule(plan.source));
    if (plan.restore.type === 'pointInTime' && !dedicated)
      problem(['restore', 'type'], `pointInTime is not available for ${plan.source.kind} clusters (cloud and legacy only)`);
    if (plan.restore.type === 'download' && plan.holdAfterSuccess)
      problem(['holdAfterSuccess'], 'a download overwrites no cluster: there is no target to hold');
    // Steps run against the restored cluster (masking, verification): a download restores onto none.
    if (plan.restore.type === 'download' && plan.postRestore?.length)
      problem(['postRestore'], 'a download restores onto no cluster: there is nothing for post-restore steps to mask or verify');
    // The same comparison the API and the create step make (case-insensitive, ASCII): synth and run time agree.
    for (const p of collectionPlanProblems(plan)) problem(p.path, p.message);
    if (plan.restore.type === 'collections' && !plan.restore.databases.length && !plan.restore.collections.length)
      problem(['restore', 'collections'], 'name at least one database or collection to restore');
    const guarded = planGuardsTarget(plan, undefined);
    if (guarded && !plan.allowRestoreOntoSource && sameCluster(guarded, plan.source))
      problem(['restore', 'target'], 'is the source cluster; set allowRestoreOntoSource: true if that is really intended');
  });
export type Plan = z.infer<typeof Plan>;
export type PlanInput = z.input<typeof Plan>;

/** A protected cluster: names or `*` patterns per project, never the target of a destructive restore. */
export const ProtectedTarget = z
  .object({ groupId: ObjectId, clusters: z.array(ClusterPattern).min(1) })
  .strict();
export type ProtectedTarget = z.infer<typeof ProtectedTarget>;

export const PlansConfig = z
  .object({
    /** Where an editor finds this file's JSON Schema (docs/plans.schema.json, `npm run plans-schema`); nothing else reads it. */
    $schema: z.string().optional(),
    protectedTargets: z.array(ProtectedTarget).default([]),
    plans: z.array(Plan).default([]),
    /** What may run without a plan (see ./adHoc.ts); absent: nothing (NO_AD_HOC). */
    adHoc: AdHocPolicy.optional(),
    /** Push completion: Atlas restore alerts wake waiting restores (./alertsSettings.ts); absent: polling only. */
    alerts: AlertsSettings.optional(),
    /**
     * Who may release, shorten or replace a hold they did not place, and a plan's hold
     * (holdAfterSuccess): IAM principal ARNs, or local login names for the CLI's holds; `*` matches
     * any run of characters (e.g. `arn:aws:sts::123456789012:assumed-role/RestoreAdmins/*`). Absent:
     * nobody, so a plan's until-released hold stays until an administrator is named.
     */
    holdAdministrators: z.array(z.string().min(1).max(512)).max(50).optional(),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.plans.forEach((p, i) => {
      if (seen.has(p.name)) ctx.addIssue({ code: 'custom', path: ['plans', i, 'name'], message: `duplicate plan name "${p.name}"` });
      seen.add(p.name);
    });
  });
export type PlansConfig = z.infer<typeof PlansConfig>;
