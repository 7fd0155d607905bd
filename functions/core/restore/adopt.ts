import { AtlasCreateOutcomeUnknownError } from '../domain/errors.js';
import type { AtlasTransport } from '../atlas/transport.js';
import { sameCluster, type ClusterRef } from '../domain/cluster.js';
import type { RestoreKind } from './kind.js';
import { kindFor } from './kinds/index.js';
import { restoreTarget, type RestoreRequest } from './request.js';
import { isTerminal, type RestoreJobRef, type RestoreStatus } from './status.js';

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
 * The target's other restore jobs still running (not ended), other than ours (`ours`: the job ids,
 * and for a legacy restore its batch): the look before a target is freed. A job here means the
 * target is not quiet: Atlas made a second job (a POST that landed late), or someone started one.
 * Same limit as findTargetBusy: only jobs from the request's own source are seen.
 */
export async function findOtherJobsOntoTarget(
  atlas: AtlasTransport,
  request: RestoreRequest,
  ours: { jobIds: readonly string[]; batchId?: string | undefined },
): Promise<{ ref: RestoreJobRef; status: RestoreStatus }[]> {
  const target = restoreTarget(request);
  if (!target) return [];
  const jobs = await kindFor(request).list(atlas, request.source);
  return jobs
    .filter((j) => {
      if (isTerminal(j.status.state)) return false;
      if (ours.jobIds.includes(j.ref.jobId) || (ours.batchId !== undefined && j.ref.batchId === ours.batchId)) return false;
      const seen = listedTarget(j.request);
      return seen !== undefined && sameCluster(seen, target);
    })
    .map((j) => ({ ref: j.ref, status: j.status }));
}

/** How a create step looks for a job whose POST may have reached Atlas (see `reconcileCreate`). */
export interface CreateSettle {
  /** When an earlier try of this restore sent a POST whose answer was lost, if one did. */
  sentBefore: Date | undefined;
  /** Looks for that job are spread over this long after the POST before it may be sent again. */
  settleMs: number;
  /** Records that a POST is about to go out (kept where a retried step finds it). */
  noteSent(at: Date): Promise<void>;
  /** Atlas answered that POST with a refusal (or it was never sent): nothing can land, a later try may POST. */
  forgetSent?(): Promise<void>;
  now(): Date;
  sleep(ms: number): Promise<void>;
  /** The looks must be fresh reads, never a remembered answer. */
  fresh: AtlasTransport;
}

/** When the looks after an ambiguous POST happen, as fractions of the settle window. */
const SETTLE_LOOKS = [0.1, 0.25, 0.5, 1] as const;

/**
 * Creates the restore, or adopts the job of the same request already in flight. A POST whose
 * answer is lost (AtlasCreateOutcomeUnknownError) may still land in Atlas a while later, so the job
 * is looked for several times spread over the settle window; when none of those looks finds it the
 * ambiguity is rethrown, and a later try only looks again (over a window of its own): a POST that
 * may still land is never sent a second time. Only a POST Atlas answered with a refusal is forgotten.
 */
export async function reconcileCreate(
  atlas: AtlasTransport,
  kind: RestoreKind,
  request: RestoreRequest,
  create: () => Promise<RestoreJobRef>,
  settle: CreateSettle = immediateLook(atlas),
): Promise<{ ref: RestoreJobRef; adopted: boolean }> {
  const inFlight = await kind.findInFlight(atlas, request);
  if (inFlight) return { ref: inFlight, adopted: true };
  if (settle.sentBefore) {
    // An earlier try sent a POST and lost its answer. Atlas may show its job at any time, so it is
    // never sent again: look over the rest of that POST's window, or, once it passed, over a window
    // of this try; not found, the ambiguity stands (the state machine retries, then FindCreatedJob).
    const windowEnd = settle.sentBefore.getTime() + settle.settleMs;
    const from = settle.now().getTime() < windowEnd ? settle.sentBefore : settle.now();
    const made = await lookOverWindow(kind, request, settle, from);
    if (made) return { ref: made, adopted: true };
    throw new AtlasCreateOutcomeUnknownError(
      `No Atlas job of this request has appeared since its POST at ${settle.sentBefore.toISOString()} (looked again until ${settle.now().toISOString()}); it may still land, so the POST is not sent again`,
    );
  }
  const sentAt = settle.now();
  await settle.noteSent(sentAt);
  try {
    return { ref: await create(), adopted: false };
  } catch (err) {
    // A definite answer (a refusal, throttling, a busy target before the POST): nothing was made.
    if (!(err instanceof AtlasCreateOutcomeUnknownError)) {
      // Not forgotten (the store failing), a later try only looks and never POSTs: the safe side.
      await settle.forgetSent?.().catch(() => undefined);
      throw err;
    }
    const made = await lookOverWindow(kind, request, settle, sentAt);
    if (made) return { ref: made, adopted: true };
    throw err;
  }
}

/** No settle window: one fresh look right after a lost answer (unit tests of adopting alone). */
function immediateLook(atlas: AtlasTransport): CreateSettle {
  return { sentBefore: undefined, settleMs: 0, noteSent: async () => undefined, now: () => new Date(), sleep: async () => undefined, fresh: atlas };
}

/** Looks for the job at the settle points still ahead of now, sleeping in between. */
async function lookOverWindow(kind: RestoreKind, request: RestoreRequest, settle: CreateSettle, sentAt: Date): Promise<RestoreJobRef | undefined> {
  const points = [...new Set(SETTLE_LOOKS.map((f) => sentAt.getTime() + Math.round(f * settle.settleMs)))];
  for (const at of points) {
    const wait = at - settle.now().getTime();
    if (wait <= 0 && at !== points[points.length - 1]) continue; // a point already passed: the next look covers it
    if (wait > 0) await settle.sleep(wait);
    const made = await kind.findInFlight(settle.fresh, request);
    if (made) return made;
  }
  return undefined;
}
