import * as z from 'zod';
import { AtlasUnavailableError } from '../../domain/errors.js';
import type { AtlasTransport } from '../../atlas/transport.js';
import { sameCluster, type ClusterRef } from '../../domain/cluster.js';
import type { RestoreKind } from '../kind.js';
import type { RestoreRequest } from '../request.js';
import { isTerminal, type RestoreJobRef } from '../status.js';

/** What the kind modules share: reading Atlas's answers with our own schemas, and adopt matching. */

/**
 * Atlas answers are read with loose schemas of only the fields we use: new fields never break us,
 * a missing or mistyped field we rely on fails with the operation named (never the body: it may
 * carry download links).
 */
export function readAnswer<S extends z.ZodType>(schema: S, body: unknown, operation: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const where = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))].join(', ');
    throw new AtlasUnavailableError(`Atlas answered ${operation} with an unexpected shape (fields: ${where})`, { operation });
  }
  return parsed.data;
}

export const enc = encodeURIComponent;

/** A list answer read whole (endpoints that take no paging parameters). */
export const Results = z.looseObject({ results: z.array(z.unknown()).default([]) });

/** Both undefined (downloads), or the same cluster. */
export function sameTarget(a: ClusterRef | undefined, b: ClusterRef | undefined): boolean {
  if (!a || !b) return !a && !b;
  return sameCluster(a, b);
}

/** Milliseconds since the epoch of an ISO time, or -Infinity when absent or unreadable (sorts last). */
export function timeOf(iso: string | undefined): number {
  const t = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/**
 * Newest first by a time field. Array.prototype.sort is stable, so entries without a time keep
 * Atlas's order among themselves.
 */
export function newestFirst<T>(items: T[], createdAt: (item: T) => string | undefined): T[] {
  return [...items].sort((a, b) => timeOf(createdAt(b)) - timeOf(createdAt(a)));
}

/**
 * The shared findInFlight: list the source's jobs and keep the first one still running whose
 * recovered request is the same restore (`same` compares what that kind's jobs show).
 */
export async function findInFlightBy<R extends RestoreRequest>(
  kind: Pick<RestoreKind<R>, 'list'>,
  atlas: AtlasTransport,
  request: R,
  same: (wanted: R, seen: Partial<R>) => boolean,
): Promise<RestoreJobRef | undefined> {
  const jobs = await kind.list(atlas, request.source);
  return jobs.find((j) => !isTerminal(j.status.state) && same(request, j.request))?.ref;
}

/**
 * Atlas's own words for several jobs, for people: "FINISHED" for one job, "IN_PROGRESS ×2,
 * FINISHED ×1" for a batch. Statuses named in `order` come first, in that order, the rest
 * alphabetically, so the text does not change with the order Atlas lists the jobs in.
 */
export function countStatuses(statuses: string[], order: readonly string[] = []): string {
  if (statuses.length === 1) return statuses[0] ?? '';
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
  return [...counts]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([s, n]) => `${s} ×${n}`)
    .join(', ');
}
