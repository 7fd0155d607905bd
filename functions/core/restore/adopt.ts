import { AtlasCreateOutcomeUnknownError } from '../errors.js';
import type { AtlasTransport } from '../atlas/transport.js';
import { sameCluster, type ClusterRef } from '../plans/guards.js';
import type { RestoreKind } from './kind.js';
import { kindFor } from './kinds/index.js';
import { restoreTarget, type RestoreRequest } from './request.js';
import { isTerminal, type RestoreJobRef } from './status.js';

/**
 * Never two restores where one was asked for. A create attaches to a job already in flight for the
 * same request (a retried step, an earlier answer that was lost) instead of making another, and a
 * POST whose outcome is unknown is never sent again: we look for the job it may have made.
 */

/** The cluster a listed job writes to, from the request recovered from it (none for downloads). */
function listedTarget(request: Partial<RestoreRequest>): ClusterRef | undefined {
  if (request.kind === 'legacy') return request.delivery?.methodName === 'AUTOMATED_RESTORE' ? request.delivery.target : undefined;
  return 'target' in request ? request.target : undefined;
}

/**
 * A restore still running onto this request's target, if Atlas shows one.
 *
 * Limit: Atlas lists restore jobs per source cluster and has no "jobs onto a cluster" listing, so
 * this sees only the jobs of the request's own source (of its kind). A restore onto the same target
 * from another source is not seen here; it is caught by our own target lock when we started it, and
 * otherwise by Atlas itself, which refuses a restore onto a cluster being restored (409
 * ATLAS_CLUSTER_RESTORE_IN_PROGRESS, an AtlasConflictError).
 */
export async function findTargetBusy(atlas: AtlasTransport, request: RestoreRequest): Promise<RestoreJobRef | undefined> {
  const target = restoreTarget(request);
  if (!target) return undefined;
  const jobs = await kindFor(request).list(atlas, request.source);
  return jobs.find((j) => {
    if (isTerminal(j.status.state)) return false;
    const seen = listedTarget(j.request);
    return seen !== undefined && sameCluster(seen, target);
  })?.ref;
}

/**
 * Creates the restore, or adopts the job of the same request already in flight. When the create's
 * answer is lost (AtlasCreateOutcomeUnknownError), looks once more: the job the lost POST made is
 * adopted; if none is there the ambiguity is rethrown, never answered by a second POST.
 */
export async function reconcileCreate(
  atlas: AtlasTransport,
  kind: RestoreKind,
  request: RestoreRequest,
  create: () => Promise<RestoreJobRef>,
): Promise<{ ref: RestoreJobRef; adopted: boolean }> {
  const inFlight = await kind.findInFlight(atlas, request);
  if (inFlight) return { ref: inFlight, adopted: true };
  try {
    return { ref: await create(), adopted: false };
  } catch (err) {
    if (!(err instanceof AtlasCreateOutcomeUnknownError)) throw err;
    const made = await kind.findInFlight(atlas, request);
    if (made) return { ref: made, adopted: true };
    throw err;
  }
}
