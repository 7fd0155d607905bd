import * as z from 'zod';
import { RestoreRefusedError } from '../domain/errors.js';
import { ClusterPattern, ObjectId } from '../restore/fields.js';
import { RESTORE_KIND_NAMES, type RestoreKindName } from '../restore/request.js';
import { clusterPatternMatches, type ClusterRef } from '../domain/cluster.js';

/**
 * The ad-hoc policy: which restores may run without a plan (an HTTP `{"request": ...}` or an
 * operator's execution input), written in the plans file like everything else that may run.
 * Off unless the file says otherwise: with no `adHoc` section no ad-hoc restore or download runs.
 * A rule names the kinds, the source clusters and (for restores) the target clusters, per project,
 * by name or `*` pattern, and the triggers it answers. Protected targets and source = target are
 * checked on top of it, always: a rule can never open a protected cluster.
 */

/** Clusters of one project, by name or `*` pattern. */
const ClusterPatterns = z.object({ groupId: ObjectId, clusters: z.array(ClusterPattern).min(1) }).strict();
type ClusterPatterns = z.infer<typeof ClusterPatterns>;

/** Who may send an ad-hoc request: the HTTP API, or an operator starting the workflow directly. */
const AD_HOC_TRIGGERS = ['http', 'manual'] as const;

const common = {
  kinds: z.array(z.enum(RESTORE_KIND_NAMES)).min(1),
  sources: z.array(ClusterPatterns).min(1),
  triggers: z.array(z.enum(AD_HOC_TRIGGERS)).min(1).default([...AD_HOC_TRIGGERS]),
};

/** Destructive ad-hoc restores (Atlas wipes the target first): from these sources onto these targets. */
const AdHocRestoreRule = z.object({ ...common, targets: z.array(ClusterPatterns).min(1) }).strict();
/** Ad-hoc downloads: nothing is overwritten, but the links carry the source's data. */
const AdHocDownloadRule = z.object(common).strict();

export const AdHocPolicy = z
  .object({
    restores: z.array(AdHocRestoreRule).default([]),
    downloads: z.array(AdHocDownloadRule).default([]),
  })
  .strict();
export type AdHocPolicy = z.infer<typeof AdHocPolicy>;

/** No section in the file: nothing ad hoc runs. */
export const NO_AD_HOC: AdHocPolicy = { restores: [], downloads: [] };

export interface AdHocAsk {
  kind: RestoreKindName;
  source: ClusterRef;
  /** Undefined for a download. */
  target: ClusterRef | undefined;
  trigger: string;
}

const coveredBy = (list: readonly ClusterPatterns[], c: ClusterRef): boolean =>
  list.some((entry) => entry.groupId === c.groupId && entry.clusters.some((p) => clusterPatternMatches(p, c.clusterName)));

/** The reason the policy refuses this ad-hoc restore, or undefined when one of its rules allows it. */
export function adHocRefusal(policy: AdHocPolicy, ask: AdHocAsk): string | undefined {
  const what = ask.target ? 'restores' : 'downloads';
  const rules: readonly z.infer<typeof AdHocDownloadRule>[] = ask.target ? policy.restores : policy.downloads;
  if (!rules.length) return `the plans file allows no ad-hoc ${what} (adHoc.${what} is empty); use a plan, or add a rule`;
  const trigger = rules.filter((r) => (r.triggers as readonly string[]).includes(ask.trigger));
  if (!trigger.length) return `no adHoc.${what} rule answers a ${ask.trigger} trigger`;
  const kind = trigger.filter((r) => r.kinds.includes(ask.kind));
  if (!kind.length) return `no adHoc.${what} rule allows ${ask.kind} restores`;
  const source = kind.filter((r) => coveredBy(r.sources, ask.source));
  if (!source.length) return `no adHoc.${what} rule allows cluster "${ask.source.clusterName}" in project ${ask.source.groupId} as a source`;
  if (!ask.target) return undefined;
  const target = ask.target;
  if (!(source as z.infer<typeof AdHocRestoreRule>[]).some((r) => coveredBy(r.targets, target)))
    return `no adHoc.restores rule allows cluster "${target.clusterName}" in project ${target.groupId} as a target for this source`;
  return undefined;
}

/** Throws RestoreRefusedError('AD_HOC_NOT_ALLOWED') when the policy does not allow the request. */
export function checkAdHocAllowed(policy: AdHocPolicy, ask: AdHocAsk): void {
  const why = adHocRefusal(policy, ask);
  if (why !== undefined) throw new RestoreRefusedError('AD_HOC_NOT_ALLOWED', `Refusing this ad-hoc request: ${why}.`);
}
