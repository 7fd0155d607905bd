import { CALL_NEEDS, holds, readKeyRoles, roleWords, rolesOnProject, type CallNeed, type KeyRoles } from '../atlas/keyRoles.js';
import type { AtlasTransport } from '../atlas/transport.js';
import { AtlasAuthFailedError, RestoreRefusedError } from '../domain/errors.js';
import { majorOf, readCluster, readRestoreWindowDays, type ClusterFacts } from '../restore/clusterFacts.js';
import type { RestoreKind } from '../restore/kind.js';
import {
  checkDisk,
  checkNotPaused,
  checkPointInTime,
  checkTargetKind,
  checkTopology,
  checkVersion,
  restoreWindow,
  type PreflightCheck,
} from '../restore/preflightRules.js';
import { restoreTarget, type RestoreRequest } from '../restore/request.js';
import type { Snapshot } from '../restore/snapshots.js';

/**
 * The preflight: everything Atlas would refuse the create for, asked of Atlas before the create.
 * The dry run (local and the API's), and the create step just before its POST, run this one
 * function, so a dry run that passes means Atlas accepts the create:
 * 1. the key's roles against each call the restore makes (spec `x-rolesRequirements`);
 * 2. the target: exists in its project, of a kind this restore writes, not paused, a MongoDB major
 *    the snapshot may go onto, a topology it fits, disk enough (restore/preflightRules.ts);
 * 3. a point in time inside the source's restorable window.
 * Every check is one line with the Atlas fact it used; a failed one refuses the restore
 * (RestoreRefused, nothing created) with every line in the message.
 */

export interface PreflightInput {
  request: RestoreRequest;
  /** The snapshot the plan chose, when it chose one (an ad-hoc snapshotId is looked up). */
  snapshot: Snapshot | undefined;
}

interface Need {
  groupId: string;
  need: CallNeed;
}

/** The Atlas calls this restore makes, per project: the reads, the poll's reads and the create. */
function callsOf(request: RestoreRequest): Need[] {
  const source = request.source.groupId;
  const target = restoreTarget(request);
  const on = (groupId: string, ...needs: CallNeed[]) => needs.map((need) => ({ groupId, need }));
  const calls: Need[] = [];
  switch (request.kind) {
    case 'cloud': {
      const pit = request.deliveryType === 'pointInTime';
      calls.push(...on(source, ...(pit ? [CALL_NEEDS.readSchedule] : [CALL_NEEDS.listSnapshots]), CALL_NEEDS.listRestoreJobs));
      calls.push(...on(source, request.deliveryType === 'download' ? CALL_NEEDS.createDownload : CALL_NEEDS.createRestoreJob));
      break;
    }
    case 'collection':
      calls.push(...on(source, CALL_NEEDS.listSnapshots, CALL_NEEDS.readSnapshotNamespaces, CALL_NEEDS.listCollectionRestoreJobs, CALL_NEEDS.createCollectionRestoreJob));
      break;
    case 'flex':
      calls.push(...on(source, CALL_NEEDS.listFlexRestoreJobs, request.deliveryType === 'download' ? CALL_NEEDS.createFlexDownload : CALL_NEEDS.createFlexRestoreJob));
      break;
    case 'legacy':
      calls.push(...on(source, CALL_NEEDS.listLegacyRestoreJobs, CALL_NEEDS.createLegacyRestoreJob));
      break;
    case 'tenant':
      // Retired endpoints (restore/tenantRetired.ts): the served era needed Project Owner throughout.
      calls.push(...on(source, CALL_NEEDS.createLegacyRestoreJob));
      break;
  }
  if (target) {
    calls.push(...on(target.groupId, CALL_NEEDS.readCluster));
    if (target.groupId !== source && request.kind !== 'tenant') calls.push(...on(target.groupId, CALL_NEEDS.writeTarget));
  }
  return calls;
}

const lacks = (groupId: string, need: CallNeed) => `this key lacks ${roleWords(need)} on project ${groupId}; needed ${need.purpose}`;

/** With the key's roles known: one line per project and call. Unknown: one line saying so. */
function checkRoles(roles: KeyRoles | undefined, calls: Need[]): PreflightCheck[] {
  if (!roles) return [{ ok: true, line: 'key roles: Atlas does not list them for this key (a service account); a call it refuses will name the role it needed' }];
  const checks: PreflightCheck[] = [];
  const byProject = new Map<string, Need[]>();
  for (const c of calls) byProject.set(c.groupId, [...(byProject.get(c.groupId) ?? []), c]);
  for (const [groupId, needs] of byProject) {
    const held = rolesOnProject(roles, groupId);
    const missing = needs.filter((n) => !holds(held, n.need));
    for (const m of missing) checks.push({ ok: false, failure: 'MISSING_ROLE', line: lacks(groupId, m.need) });
    if (!missing.length) checks.push({ ok: true, line: `key holds ${held.map((r) => r.replace('PROJECT_', '').toLowerCase()).join(', ') || 'no role'} on project ${groupId}: enough ${needs.map((n) => n.need.purpose.replace(/^to /, '')).join(', ')}` });
  }
  return checks;
}

/** A 401/403 on a read the preflight makes: the first refusal names the role (when roles were not listed). */
async function asking<T>(groupId: string, need: CallNeed, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof AtlasAuthFailedError)
      throw new RestoreRefusedError('MISSING_ROLE', `${lacks(groupId, need)} (Atlas answered ${err.status}${err.errorCode ? ` ${err.errorCode}` : ''})`);
    throw err;
  }
}

function pointInTimeMs(r: RestoreRequest): number | undefined {
  if (r.kind !== 'cloud' && r.kind !== 'collection') return undefined;
  if (r.pointInTimeUTCSeconds !== undefined) return r.pointInTimeUTCSeconds * 1000;
  if (r.oplogTs !== undefined) return r.oplogTs * 1000;
  return undefined;
}

const completed = (snapshots: Snapshot[]) => snapshots.filter((s) => s.status === 'completed');

/** Runs every preflight check; answers their lines, or throws RestoreRefused naming the failed ones. */
export async function preflight(atlas: AtlasTransport, kind: RestoreKind, input: PreflightInput, now: Date): Promise<string[]> {
  const { request } = input;
  const checks: PreflightCheck[] = [];
  const roles = await readKeyRoles(atlas);
  checks.push(...checkRoles(roles, callsOf(request)));
  // Without roles, the reads the restore makes anyway are made now, so a 403 names its role here.
  if (!roles && (request.kind === 'cloud' || request.kind === 'collection')) await asking(request.source.groupId, CALL_NEEDS.listRestoreJobs, () => kind.list(atlas, request.source));
  if (checks.some((c) => !c.ok)) refuse(checks);

  const pit = pointInTimeMs(request);
  const target = restoreTarget(request);
  const cloudLike = request.kind === 'cloud' || request.kind === 'collection';
  let snapshots: Snapshot[] | undefined;
  const listSnapshots = async () => (snapshots ??= await asking(request.source.groupId, CALL_NEEDS.listSnapshots, () => kind.listSnapshots(atlas, request.source)));

  let source: ClusterFacts | undefined;
  if (cloudLike && (pit !== undefined || target)) {
    const found = await asking(request.source.groupId, CALL_NEEDS.readCluster, () => readCluster(atlas, request.source));
    if (found.found) source = found.facts;
  }

  if (pit !== undefined) {
    const days = await asking(request.source.groupId, CALL_NEEDS.readSchedule, () => readRestoreWindowDays(atlas, request.source));
    const oldest = completed(await listSnapshots()).map((s) => Date.parse(s.createdAt)).sort((a, b) => a - b)[0];
    const window = days === undefined ? undefined : restoreWindow(now.getTime(), days, oldest);
    checks.push(checkPointInTime(request.source.clusterName, window, pit, (source?.pitEnabled ?? true) && days !== undefined && days > 0));
  }

  if (target && request.kind !== 'tenant') {
    const found = await asking(target.groupId, CALL_NEEDS.readCluster, () => readCluster(atlas, target));
    if (!found.found) {
      checks.push({ ok: false, failure: 'TARGET_NOT_RESTORABLE', line: `target ${target.clusterName} does not exist in project ${target.groupId} (Atlas: ${found.why})` });
    } else {
      const t = found.facts;
      checks.push({ ok: true, line: `target ${t.ref.clusterName} exists in project ${t.ref.groupId}` });
      checks.push(checkTargetKind(t, request.kind), checkNotPaused(t));
      if (request.kind === 'cloud' && source) {
        const snapshot = await snapshotOf(request, input.snapshot, pit, listSnapshots);
        checks.push(checkVersion(t, majorOf(snapshot?.mongodVersion) ?? source.major, false));
        checks.push(checkTopology(t, source));
        checks.push(checkDisk(t, snapshot?.storageSizeBytes));
      }
      if (request.kind === 'flex') {
        const from = await readCluster(atlas, request.source);
        checks.push(checkTopology(t, { sharded: false, shards: 1 }));
        if (from.found) checks.push(checkVersion(t, from.facts.major, true));
      }
    }
  }
  if (checks.some((c) => !c.ok)) refuse(checks);
  return checks.map((c) => c.line);
}

/** The snapshot a cloud restore copies: the one named, or the newest completed one before a point in time. */
async function snapshotOf(request: RestoreRequest, chosen: Snapshot | undefined, pit: number | undefined, list: () => Promise<Snapshot[]>): Promise<Snapshot | undefined> {
  if (chosen) return chosen;
  const id = 'snapshotId' in request ? request.snapshotId : undefined;
  const all = await list();
  if (id) return all.find((s) => s.id === id);
  if (pit === undefined) return undefined;
  return completed(all)
    .filter((s) => Date.parse(s.createdAt) <= pit)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
}

function refuse(checks: PreflightCheck[]): never {
  const failed = checks.filter((c) => !c.ok);
  const code = failed[0]?.failure ?? 'TARGET_NOT_RESTORABLE';
  const lines = checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.line}`);
  throw new RestoreRefusedError(code, `Preflight refused the restore before any Atlas create: ${failed.map((c) => c.line).join('; ')}.\nChecks:\n${lines.join('\n')}`);
}
