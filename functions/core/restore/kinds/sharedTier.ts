import * as z from 'zod';
import { AtlasConflictError } from '../../domain/errors.js';
import type { AtlasApiVersion, AtlasTransport } from '../../atlas/transport.js';
import type { SourceCluster } from '../fields.js';
import type { RestoreKind } from '../kind.js';
import type { FlexRestoreRequest, TenantRestoreRequest } from '../request.js';
import type { Snapshot } from '../snapshots.js';
import type { RestoreJobRef, RestoreState, RestoreStatus } from '../status.js';
import { Results, enc, findInFlightBy, newestFirst, readAnswer, sameTarget } from './common.js';

/**
 * Flex and shared tier (M2/M5, "tenant") restores share one job shape: a `status` of PENDING,
 * QUEUED, RUNNING, COMPLETED or FAILED, a restore onto a named deployment or a download. They
 * differ in paths, media type and whether lists take paging; ./flex.ts and ./tenant.ts give those.
 * Atlas offers no cancel for either.
 */

export const SharedJob = z.looseObject({
  id: z.string(),
  snapshotId: z.string().optional(),
  deliveryType: z.string().optional(),
  status: z.string(),
  targetProjectId: z.string().optional(),
  targetDeploymentItemName: z.string().optional(),
  restoreScheduledDate: z.string().optional(),
  restoreFinishedDate: z.string().optional(),
  expirationDate: z.string().optional(),
  snapshotUrl: z.string().optional(),
});
export type SharedJob = z.infer<typeof SharedJob>;

const SharedSnapshot = z.looseObject({
  id: z.string(),
  status: z.string(),
  scheduledTime: z.string().optional(),
  startTime: z.string().optional(),
  finishTime: z.string().optional(),
  expiration: z.string().optional(),
  mongoDBVersion: z.string().optional(),
});

const JOB_STATE: Record<string, RestoreState> = {
  PENDING: 'PENDING',
  QUEUED: 'PENDING',
  RUNNING: 'RUNNING',
  COMPLETED: 'SUCCEEDED',
  // The spec's text for restoreFinishedDate says a finished job becomes CLOSED (not in its enum).
  CLOSED: 'SUCCEEDED',
  FAILED: 'FAILED',
};

const SNAPSHOT_STATUS: Record<string, Snapshot['status']> = {
  PENDING: 'queued',
  QUEUED: 'queued',
  RUNNING: 'inProgress',
  COMPLETED: 'completed',
  FAILED: 'failed',
};

export function sharedStatus(kind: 'flex' | 'tenant', job: SharedJob): RestoreStatus {
  // An unknown status is reported as running: the deadline, not a guess, ends the wait.
  let state = JOB_STATE[job.status] ?? 'RUNNING';
  let delivery: RestoreStatus['delivery'];
  if (job.deliveryType === 'DOWNLOAD' && state === 'SUCCEEDED') {
    if (job.snapshotUrl) delivery = { urls: [job.snapshotUrl], ...(job.expirationDate ? { expiresAt: job.expirationDate } : {}) };
    // Completed with an expiry but no link any more: the link has lapsed. Completed with neither:
    // the link is still being written, look again.
    else state = job.expirationDate ? 'EXPIRED' : 'RUNNING';
  }
  return {
    kind,
    state,
    jobIds: [job.id],
    ...(job.snapshotId ? { snapshotId: job.snapshotId } : {}),
    ...(job.restoreScheduledDate ? { createdAt: job.restoreScheduledDate } : {}),
    ...(job.restoreFinishedDate ? { finishedAt: job.restoreFinishedDate } : {}),
    ...(delivery ? { delivery } : {}),
    atlasStatus: job.status,
  };
}

type SharedRequest = FlexRestoreRequest | TenantRestoreRequest;

/** Same delivery, same target, same snapshot: every one of these Atlas echoes on the job. */
export function sameSharedRequest(wanted: SharedRequest, seen: Partial<SharedRequest>): boolean {
  return seen.deliveryType === wanted.deliveryType && seen.snapshotId === wanted.snapshotId && sameTarget(wanted.target, seen.target);
}

export interface SharedTierSpec {
  kind: 'flex' | 'tenant';
  version: AtlasApiVersion;
  /** `/api/atlas/v2/groups/{g}/…/backup[/tenant]` of the source. */
  backup(source: SourceCluster): string;
  /** Where a restore is created (`restoreJobs` for Flex, `restore` for tenant). */
  createPath: string;
  /** Where jobs are listed and read (`restoreJobs` for Flex, `restores` for tenant). */
  jobsPath: string;
  /** Tenant lists take no paging parameters; Flex lists do. */
  pagedLists: boolean;
  /**
   * The tenant download body is a whole `TenantRestore`, whose `targetDeploymentItemName` the spec
   * requires: it names the cluster being downloaded. Flex's download body is `snapshotId` alone.
   */
  downloadNamesDeployment: boolean;
}

export function sharedTierKind<R extends SharedRequest>(spec: SharedTierSpec): RestoreKind<R> {
  const what = (verb: string) => `${verb} ${spec.kind} restore`;
  const refOf = (source: SourceCluster, id: string): RestoreJobRef => ({ kind: spec.kind, groupId: source.groupId, clusterName: source.clusterName, jobId: id });
  const readList = async (atlas: AtlasTransport, path: string, operation: string): Promise<unknown[]> => {
    if (spec.pagedLists) return atlas.listAll({ path, version: spec.version });
    const res = await atlas.request({ method: 'GET', path, version: spec.version });
    return readAnswer(Results, res.body, operation).results;
  };
  const requestOf = (source: SourceCluster, job: SharedJob): Partial<R> =>
    ({
      kind: spec.kind,
      source,
      deliveryType: job.deliveryType === 'DOWNLOAD' ? 'download' : 'restore',
      ...(job.snapshotId ? { snapshotId: job.snapshotId } : {}),
      // Atlas defaults the target project to the source's.
      ...(job.targetDeploymentItemName ? { target: { groupId: job.targetProjectId ?? source.groupId, clusterName: job.targetDeploymentItemName } } : {}),
    }) as Partial<R>;

  const downloadBody = (request: R) =>
    spec.downloadNamesDeployment
      ? { snapshotId: request.snapshotId, targetDeploymentItemName: request.source.clusterName }
      : { snapshotId: request.snapshotId };

  const kind: RestoreKind<R> = {
    name: spec.kind,
    cancellable: false,

    async create(atlas, request) {
      const base = spec.backup(request.source);
      const target = request.target;
      const res =
        request.deliveryType === 'download' || !target
          ? await atlas.request({ method: 'POST', path: `${base}/download`, version: spec.version, body: downloadBody(request) })
          : await atlas.request({
              method: 'POST',
              path: `${base}/${spec.createPath}`,
              version: spec.version,
              body: { snapshotId: request.snapshotId, targetDeploymentItemName: target.clusterName, targetProjectId: target.groupId },
            });
      return refOf(request.source, readAnswer(SharedJob, res.body, what('create')).id);
    },

    async get(atlas, ref) {
      const res = await atlas.request({ method: 'GET', path: `${spec.backup(ref)}/${spec.jobsPath}/${enc(ref.jobId)}`, version: spec.version });
      return sharedStatus(spec.kind, readAnswer(SharedJob, res.body, what('get')));
    },

    async list(atlas, source) {
      const raw = await readList(atlas, `${spec.backup(source)}/${spec.jobsPath}`, what('list'));
      const jobs = newestFirst(
        raw.map((r) => readAnswer(SharedJob, r, what('list'))),
        (j) => j.restoreScheduledDate,
      );
      return jobs.map((job) => ({ ref: refOf(source, job.id), status: sharedStatus(spec.kind, job), request: requestOf(source, job) }));
    },

    async cancel(_atlas, ref) {
      throw new AtlasConflictError(
        `Atlas offers no way to cancel a ${spec.kind === 'flex' ? 'Flex' : 'shared-tier (M2/M5)'} restore: job ${ref.jobId} keeps running until Atlas ends it`,
        { operation: what('cancel') },
      );
    },

    async listSnapshots(atlas, source) {
      const raw = await readList(atlas, `${spec.backup(source)}/snapshots`, `list ${spec.kind} snapshots`);
      return raw.map((r): Snapshot => {
        const s = readAnswer(SharedSnapshot, r, `list ${spec.kind} snapshots`);
        return {
          id: s.id,
          // A snapshot holds the data of when it finished; until then, when it started.
          createdAt: s.finishTime ?? s.startTime ?? s.scheduledTime ?? '',
          status: SNAPSHOT_STATUS[s.status] ?? 'queued',
          ...(s.mongoDBVersion ? { mongodVersion: s.mongoDBVersion } : {}),
          ...(s.expiration ? { expiresAt: s.expiration } : {}),
        };
      });
    },

    findInFlight(atlas, request) {
      return findInFlightBy(kind, atlas, request, sameSharedRequest);
    },
  };
  return kind;
}
