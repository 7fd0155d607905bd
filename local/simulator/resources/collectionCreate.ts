import { errors } from '../errors.js';
import type { RequestContext } from '../http/router.js';
import { isActive, phaseAt, type ClusterState, type JobState } from '../state/model.js';
import type { PlannedNamespace } from '../state/namespaces.js';
import { dataVersionAt } from '../state/build.js';
import { Body, CLUSTER_NAME, EPOCH_FLOOR_SECONDS } from '../validate.js';
import { clusterFor, ensureTargetFree, targetCluster } from './common.js';
import { pointInTime } from './cloudRestores.js';
import { findSnapshot } from './snapshots.js';

/**
 * POST …/clusters/{c}/collectionRestoreJobs (2025-03-12, answers 201). Body
 * `ApiAtlasCollectionRestoreJobRequest`: the spec's required fields, enums and 100-item lists; the
 * rules between fields and the renaming of a CREATE_NEW onto an existing collection are
 * **inferred** (docs/simulator.md says from what).
 */

const WRITE_STRATEGIES = ['CREATE_NEW', 'OVERWRITE_EXISTING'] as const;
const INDEX_STRATEGIES = ['ALL', 'NONE', 'ALL_EXCEPT_TTL'] as const;
const WRITABLE = [
  'targetClusterName', 'targetGroupId', 'writeStrategy', 'indexStrategy', 'snapshotId', 'pointInTimeUtcSeconds', 'oplogTs', 'oplogInc',
  'databases', 'collections', 'databaseSuffix', 'collectionSuffix',
];
const READ_ONLY = ['id', 'state', 'errorMessage', 'restoredDocuments', 'totalDocuments', 'createdAt', 'finishedAt', 'indexStatus'];
const NAMESPACE_ITEM = { writable: ['sourceNamespace', 'targetNamespace'] };
const INT32_MAX = 2_147_483_647;
const MAX_NAMESPACES = 100;
/** What a CREATE_NEW onto an existing collection is renamed with (**inferred**). */
const CONFLICT_SUFFIX = '_restored';

interface Asked {
  sourceNamespace: string;
  targetNamespace?: string;
}

function readNamespaces(b: Body, field: 'databases' | 'collections'): Asked[] {
  const items = b.items(field, NAMESPACE_ITEM, 0, MAX_NAMESPACES) ?? [];
  return items.flatMap((item) => {
    const sourceNamespace = item.str('sourceNamespace');
    const targetNamespace = item.str('targetNamespace');
    if (sourceNamespace === undefined) throw errors.missingAttribute(`${field}.sourceNamespace`);
    return [{ sourceNamespace, ...(targetNamespace ? { targetNamespace } : {}) }];
  });
}

function readRequest(body: unknown) {
  const b = Body.read(body, { writable: WRITABLE, readOnly: READ_ONLY });
  const r = {
    targetClusterName: b.str('targetClusterName', CLUSTER_NAME),
    targetGroupId: b.id('targetGroupId'),
    writeStrategy: b.oneOf('writeStrategy', WRITE_STRATEGIES),
    indexStrategy: b.oneOf('indexStrategy', INDEX_STRATEGIES),
    snapshotId: b.id('snapshotId'),
    pointInTimeUtcSeconds: b.int('pointInTimeUtcSeconds', EPOCH_FLOOR_SECONDS, INT32_MAX),
    oplogTs: b.int('oplogTs', EPOCH_FLOOR_SECONDS, INT32_MAX),
    oplogInc: b.int('oplogInc', 1, INT32_MAX),
    databaseSuffix: b.str('databaseSuffix'),
    collectionSuffix: b.str('collectionSuffix'),
    databases: readNamespaces(b, 'databases'),
    collections: readNamespaces(b, 'collections'),
  };
  b.done();
  for (const f of ['indexStrategy', 'targetClusterName', 'targetGroupId', 'writeStrategy'] as const) if (!r[f]) throw errors.missingAttribute(f);
  if (!r.databases.length && !r.collections.length) throw errors.missingOneOf(['databases', 'collections']);
  const pit = r.pointInTimeUtcSeconds !== undefined;
  const oplog = r.oplogTs !== undefined || r.oplogInc !== undefined;
  if ([r.snapshotId !== undefined, pit, oplog].filter(Boolean).length > 1)
    throw errors.invalidAttribute(r.snapshotId ? 'snapshotId' : 'pointInTimeUtcSeconds', 'give one of snapshotId, pointInTimeUtcSeconds, or oplogTs with oplogInc');
  if (r.oplogTs !== undefined && r.oplogInc === undefined) throw errors.missingAttribute('oplogInc', 'is required with oplogTs');
  if (r.oplogInc !== undefined && r.oplogTs === undefined) throw errors.missingAttribute('oplogTs', 'is required with oplogInc');
  if (!r.snapshotId && !pit && !oplog) throw errors.missingOneOf(['snapshotId', 'pointInTimeUtcSeconds', 'oplogTs']);
  return r;
}

/** pointInTime() has made sure there is one. */
function snapshotBefore(source: ClusterState, at: number) {
  const before = source.snapshots.filter((s) => s.status === 'completed' && s.createdAt <= at);
  return before.reduce((newest, s) => (s.createdAt > newest.createdAt ? s : newest));
}

const dbOf = (ns: string) => ns.slice(0, ns.indexOf('.') < 0 ? ns.length : ns.indexOf('.'));
const collOf = (ns: string) => (ns.includes('.') ? ns.slice(ns.indexOf('.') + 1) : '');

/** Every collection the request names, in order, with where it goes and whether the snapshot has it. */
function plan(r: ReturnType<typeof readRequest>, holds: { name: string; documents: number }[], target: ClusterState): PlannedNamespace[] {
  const held = new Map(holds.map((n) => [n.name, n.documents]));
  const rename = (ns: string, explicit: string | undefined) => {
    if (explicit) return explicit;
    return `${dbOf(ns)}${r.databaseSuffix ?? ''}.${collOf(ns)}${r.collectionSuffix ?? ''}`;
  };
  const wanted: { source: string; target: string }[] = [];
  for (const d of r.databases) {
    const inDb = [...held.keys()].filter((n) => dbOf(n) === d.sourceNamespace);
    if (!inDb.length) wanted.push({ source: d.sourceNamespace, target: d.targetNamespace ?? d.sourceNamespace });
    for (const n of inDb) wanted.push({ source: n, target: rename(n, d.targetNamespace && `${d.targetNamespace}.${collOf(n)}`) });
  }
  for (const c of r.collections) wanted.push({ source: c.sourceNamespace, target: rename(c.sourceNamespace, c.targetNamespace) });
  const taken = new Set(target.namespaces.map((n) => n.name));
  return wanted.map((w) => {
    const found = held.has(w.source);
    const conflict = r.writeStrategy === 'CREATE_NEW' && taken.has(w.target);
    return {
      sourceNamespace: w.source,
      targetNamespace: w.target,
      effectiveTargetNamespace: conflict ? `${w.target}${CONFLICT_SUFFIX}` : w.target,
      documents: found ? (held.get(w.source) as number) : 0,
      found,
    };
  });
}

/** Atlas runs one collection restore per cluster at a time, as source or as target (**inferred** scope). */
function ensureNoCollectionJob(ctx: RequestContext, ...clusters: ClusterState[]): void {
  for (const job of ctx.store.jobs.values()) {
    if (job.family !== 'collection' || !ctx.store.landed(job, ctx.now) || !isActive(phaseAt(job, ctx.now))) continue;
    for (const c of clusters) {
      const involved =
        (job.groupId === c.groupId && job.clusterName === c.name) || (job.target?.groupId === c.groupId && job.target.clusterName === c.name);
      if (involved) throw errors.collectionRestoreInProgress(c.name);
    }
  }
}

export function createCollectionRestore(ctx: RequestContext): JobState {
  const source = clusterFor(ctx, 'cloudBackup');
  const r = readRequest(ctx.body);
  let dataVersion: string;
  let holds = source.namespaces;
  const details: Record<string, unknown> = {
    writeStrategy: r.writeStrategy,
    indexStrategy: r.indexStrategy,
    databases: r.databases,
    collections: r.collections,
    ...(r.databaseSuffix !== undefined && { databaseSuffix: r.databaseSuffix }),
    ...(r.collectionSuffix !== undefined && { collectionSuffix: r.collectionSuffix }),
  };
  if (r.snapshotId) {
    const snapshot = findSnapshot(source, r.snapshotId);
    if (snapshot.status !== 'completed') throw errors.incompleteSnapshot(r.snapshotId);
    dataVersion = snapshot.dataVersion;
    holds = snapshot.namespaces;
  } else {
    const seconds = (r.pointInTimeUtcSeconds ?? r.oplogTs) as number;
    const at = pointInTime(ctx, source, seconds, r.pointInTimeUtcSeconds !== undefined ? 'pointInTimeUtcSeconds' : 'oplogTs');
    dataVersion = dataVersionAt(source.history, at);
    // A point in time holds the collections of the snapshot it starts from, the newest completed at
    // or before it (**inferred**: the simulator keeps no history of names between snapshots).
    holds = snapshotBefore(source, at).namespaces;
    Object.assign(details, r.pointInTimeUtcSeconds !== undefined ? { pointInTimeUtcSeconds: r.pointInTimeUtcSeconds } : { oplogTs: r.oplogTs, oplogInc: r.oplogInc });
  }
  const target = targetCluster(ctx.store, ctx.principal, source.groupId, r.targetGroupId as string, r.targetClusterName as string);
  if (target.kind === 'flex') throw errors.flexInClusterApi(target.name);
  if (target.kind === 'tenant' || target.legacyBackup)
    throw errors.invalidAttribute('targetClusterName', `${target.name} is not a Cloud Backup cluster`);
  ensureNoCollectionJob(ctx, source, target);
  ensureTargetFree(ctx.store, target);
  details.namespaces = plan(r, holds, target);
  return ctx.store.createJob({
    family: 'collection',
    kind: 'collection.restore',
    cluster: source,
    ...(r.snapshotId !== undefined && { snapshotId: r.snapshotId }),
    target,
    dataVersion,
    details,
  });
}
