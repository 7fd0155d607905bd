import type { AtlasTransport } from '../atlas/transport.js';
import type { SourceCluster } from './fields.js';
import type { RestoreKindName, RestoreRequest } from './request.js';
import type { RestoreJobRef, RestoreStatus } from './status.js';
import type { Snapshot } from './snapshots.js';

/**
 * What every restore kind (cloud, flex, tenant, legacy) provides. One module each under ./kinds/;
 * `restoreKinds` in ./kinds/index.ts maps the kind name to its module.
 */
export interface RestoreKind<R extends RestoreRequest = RestoreRequest> {
  readonly name: RestoreKindName;
  /** Only cloud backup jobs can be cancelled (DELETE …/restoreJobs/{id}). */
  readonly cancellable: boolean;
  /** Creates exactly one Atlas restore (a legacy sharded restore may answer with several jobs). */
  create(atlas: AtlasTransport, request: R): Promise<RestoreJobRef>;
  /** Reads the job(s) and maps them onto the status model. */
  get(atlas: AtlasTransport, ref: RestoreJobRef): Promise<RestoreStatus>;
  /** Every restore job of a source cluster, newest first, each with the ref to find it again. */
  list(atlas: AtlasTransport, source: SourceCluster): Promise<{ ref: RestoreJobRef; status: RestoreStatus; request: Partial<R> }[]>;
  /** Throws AtlasConflictError where Atlas does not allow it. */
  cancel(atlas: AtlasTransport, ref: RestoreJobRef): Promise<void>;
  /** Snapshots of the source, normalised; replica set and sharded lists merged for cloud. */
  listSnapshots(atlas: AtlasTransport, source: SourceCluster): Promise<Snapshot[]>;
  /** A job still running from the same source onto the same target with the same choice, if any. */
  findInFlight(atlas: AtlasTransport, request: R): Promise<RestoreJobRef | undefined>;
}
