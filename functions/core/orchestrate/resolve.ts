import { RestoreRequestInvalidError } from '../domain/errors.js';
import { checkAdHocRequest, checkTriggerAllowed, findPlan, overrideProblems, planTarget } from '../plans/check.js';
import { checkTargetGuards, type ClusterRef } from '../plans/guards.js';
import type { Plan, PlansConfig } from '../plans/schema.js';
import type { AtlasTransport } from '../atlas/transport.js';
import { chooseSnapshot } from '../restore/choose.js';
import type { RestoreKind } from '../restore/kind.js';
import { parseRestoreRequest, restoreTarget, type RestoreKindName, type RestoreRequest } from '../restore/request.js';
import type { Snapshot, SnapshotChoice } from '../restore/snapshots.js';
import type { ExecutionInput } from '../workflow/contract.js';
import { planGuardsTarget, planKind } from '../plans/collectionPlan.js';
import { harmOfPlan } from '../plans/targetHarm.js';
import { checkSnapshotNamespaces } from './collectionNamespaces.js';
import { planMoment, pointInTimeSecondsOf, type PlanMoment } from '../plans/planMoment.js';

/**
 * From an execution input (a plan name with overrides, or an ad-hoc request) to one concrete
 * restore request. In two steps so the guards run before any Atlas call: `checkRun` needs nothing
 * but the plans; `resolveRun` then asks Atlas only what the plan leaves open (which snapshot).
 */

export interface CheckedRun {
  plan: Plan | undefined;
  kind: RestoreKindName;
  source: ClusterRef;
  /** The cluster the restore overwrites; undefined for downloads. */
  target: ClusterRef | undefined;
  /** The moment "latest", "N minutes before" and snapshot age are measured from. */
  referenceTime: Date;
  /** Ad-hoc requests are complete already. */
  request: RestoreRequest | undefined;
  /** What passed, for a dry run's answer and the logs. */
  checks: string[];
}

export function checkRun(input: ExecutionInput, config: PlansConfig, now: Date): CheckedRun {
  const referenceTime = input.trigger.time ? new Date(input.trigger.time) : now;
  const checks: string[] = [];
  if (input.request) {
    const request = parseRestoreRequest(input.request, now);
    // No allowRestoreOntoSource without a plan; then the plans file's ad-hoc policy for this trigger.
    const target = checkAdHocRequest(config, request, input.trigger.type);
    checks.push('request is valid', ...guardChecks(target), `the ad-hoc policy allows it for a ${input.trigger.type} trigger`);
    return { plan: undefined, kind: request.kind, source: request.source, target, referenceTime, request, checks };
  }
  const plan = findPlan(config, input.planName ?? '', input.trigger);
  checkTriggerAllowed(plan, input.trigger);
  checks.push(`plan "${plan.name}" may be started by a ${input.trigger.type} trigger`);
  const problems = overrideProblems(plan, input.overrides ?? {}, now);
  if (problems.length) throw new RestoreRequestInvalidError(problems, `overrides for plan "${plan.name}"`);
  const source = { groupId: plan.source.groupId, clusterName: plan.source.clusterName };
  const target = planTarget(plan, input.overrides);
  const guarded = planGuardsTarget(plan, input.overrides);
  checkTargetGuards(config.protectedTargets, source, guarded, plan.allowRestoreOntoSource, harmOfPlan(plan));
  checks.push(...(target && !guarded ? [`target ${target.clusterName}: CREATE_NEW writes new collections and overwrites nothing`] : guardChecks(target)));
  return { plan, kind: planKind(plan), source, target, referenceTime, request: undefined, checks };
}

function guardChecks(target: ClusterRef | undefined): string[] {
  return target
    ? [`target ${target.clusterName} is not a protected cluster`, `target ${target.clusterName} is not the source (or the plan allows it)`]
    : ['download: no cluster is overwritten'];
}

export interface ResolvedRun extends CheckedRun {
  request: RestoreRequest;
  /** The snapshot chosen for the plan, when it chose one. */
  snapshot: Snapshot | undefined;
  /** One sentence for people: what, from which snapshot or time, onto what. */
  summary: string;
}

export async function resolveRun(
  run: CheckedRun,
  input: ExecutionInput,
  kind: RestoreKind,
  atlas: AtlasTransport,
  now: Date,
): Promise<ResolvedRun> {
  if (run.request) {
    const checks = [...run.checks, ...(await checkSnapshotNamespaces(atlas, run.request))];
    return { ...run, checks, request: run.request, snapshot: undefined, summary: summarize(run.request, undefined) };
  }
  const plan = run.plan!;
  const moment = planMoment(plan);
  let snapshot: Snapshot | undefined;
  let snapshotId = input.overrides?.snapshotId;
  if ('snapshot' in moment) {
    const choice: SnapshotChoice = snapshotId ? { by: 'id', id: snapshotId } : moment.snapshot;
    snapshot = chooseSnapshot(await kind.listSnapshots(atlas, run.source), choice, run.referenceTime);
    snapshotId = snapshot.id;
  }
  const request = parseRestoreRequest(buildRequest(plan, run, snapshotId, pointInTimeSeconds(moment, input, run.referenceTime)), now);
  const checks = [...run.checks, ...(await checkSnapshotNamespaces(atlas, request))];
  return { ...run, checks, request, snapshot, summary: summarize(request, snapshot) };
}

function pointInTimeSeconds(moment: PlanMoment, input: ExecutionInput, referenceTime: Date): number | undefined {
  if (!('pointInTime' in moment)) return undefined;
  if (input.overrides?.pointInTimeUTCSeconds !== undefined) return input.overrides.pointInTimeUTCSeconds;
  return pointInTimeSecondsOf(moment.pointInTime, referenceTime);
}

/** The request a plan asks for, in the shape of its kind; parseRestoreRequest then checks every rule. */
function buildRequest(plan: Plan, run: CheckedRun, snapshotId: string | undefined, pitSeconds: number | undefined): unknown {
  const { source, target } = run;
  const type = plan.restore.type;
  switch (plan.source.kind) {
    case 'cloud':
      if (plan.restore.type === 'collections') {
        const { type: _type, snapshot: _snapshot, pointInTime: _pointInTime, target: _target, ...choice } = plan.restore;
        const moment = pitSeconds === undefined ? { snapshotId } : { pointInTimeUTCSeconds: pitSeconds };
        return { kind: 'collection', source, target, ...moment, ...choice };
      }
      return type === 'pointInTime'
        ? { kind: 'cloud', source, deliveryType: 'pointInTime', target, pointInTimeUTCSeconds: pitSeconds }
        : { kind: 'cloud', source, deliveryType: type === 'download' ? 'download' : 'automated', snapshotId, ...(target ? { target } : {}) };
    case 'flex':
    case 'tenant':
      return { kind: plan.source.kind, source, deliveryType: type === 'download' ? 'download' : 'restore', snapshotId, ...(target ? { target } : {}) };
    case 'legacy':
      if (type === 'download') return { kind: 'legacy', source, snapshotId, delivery: { methodName: 'HTTP' } };
      return type === 'pointInTime'
        ? { kind: 'legacy', source, pointInTimeUTCMillis: pitSeconds! * 1000, delivery: { methodName: 'AUTOMATED_RESTORE', target } }
        : { kind: 'legacy', source, snapshotId, delivery: { methodName: 'AUTOMATED_RESTORE', target } };
  }
}

/** "prod-cluster (project 65f1…0001), snapshot 65f1… taken 2026-01-02T03:00:00Z, onto staging-cluster (project …)". */
export function summarize(request: RestoreRequest, snapshot: Snapshot | undefined): string {
  const where = (c: ClusterRef) => `${c.clusterName} (project ${c.groupId})`;
  const parts = [`${request.kind} restore of ${where(request.source)}`];
  const snapshotId = 'snapshotId' in request ? request.snapshotId : undefined;
  if (snapshotId) parts.push(`snapshot ${snapshotId}${snapshot ? ` taken ${snapshot.createdAt}` : ''}`);
  const pit = pointInTimeOf(request);
  if (pit) parts.push(`as of ${pit}`);
  const target = restoreTarget(request);
  parts.push(target ? `onto ${where(target)}` : 'as a download');
  return parts.join(', ');
}

function pointInTimeOf(r: RestoreRequest): string | undefined {
  if (r.kind === 'cloud' || r.kind === 'collection') {
    if (r.pointInTimeUTCSeconds !== undefined) return new Date(r.pointInTimeUTCSeconds * 1000).toISOString();
    if (r.oplogTs !== undefined) return `oplog ts ${r.oplogTs} inc ${r.oplogInc}`;
  }
  if (r.kind === 'legacy') {
    if (r.pointInTimeUTCMillis !== undefined) return new Date(r.pointInTimeUTCMillis).toISOString();
    if (r.oplogTs !== undefined) return `oplog ts ${r.oplogTs} inc ${r.oplogInc}`;
    if (r.checkpointId) return `checkpoint ${r.checkpointId}`;
  }
  return undefined;
}
