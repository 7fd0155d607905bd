import { RestoreRequestInvalidError, type FieldProblem } from '../domain/errors.js';
import type { AtlasTransport } from '../atlas/transport.js';
import { collectionKind, snapshotNamespaces } from '../restore/kinds/collection.js';
import { pointInTimeBase } from '../restore/pointInTimeBase.js';
import type { CollectionRestoreRequest, RestoreRequest } from '../restore/request.js';

/**
 * Before a collection-level restore is created (or a dry run answers), the names it asks for are
 * checked against what the snapshot holds: Atlas would take an unknown name and report it NOT_FOUND
 * only once the job runs. The answer lists what the snapshot holds, for the dry run and the logs.
 * A point in time is checked against the snapshot Atlas starts it from (the newest completed one
 * taken at or before it). A collection created after that snapshot and before the time is refused
 * although the oplog replay would bring it back: Atlas offers no list of the names at a time.
 */

const SHOWN = 50;

/** Which snapshot the names are checked in, and how the answer speaks of it. */
interface Checked {
  snapshotId: string;
  /** "snapshot X" or "snapshot X (taken T, the newest at or before the point in time T')". */
  name: string;
  /** The request field a refusal points at. */
  field: string;
  /** What the dry run says about the choice of snapshot, when there was one to make. */
  chosen?: string;
}

async function snapshotToCheck(atlas: AtlasTransport, request: CollectionRestoreRequest): Promise<Checked> {
  if (request.snapshotId) return { snapshotId: request.snapshotId, name: `snapshot ${request.snapshotId}`, field: 'snapshotId' };
  const field = request.pointInTimeUTCSeconds !== undefined ? 'pointInTimeUTCSeconds' : 'oplogTs';
  const seconds = (request.pointInTimeUTCSeconds ?? request.oplogTs) as number;
  const time = new Date(seconds * 1000).toISOString();
  const base = pointInTimeBase(await collectionKind.listSnapshots(atlas, request.source), seconds, field);
  return {
    snapshotId: base.id,
    name: `snapshot ${base.id} (taken ${base.createdAt}, where the restore to ${time} starts)`,
    field,
    chosen: `point in time ${time} starts from snapshot ${base.id}, taken ${base.createdAt} (the newest completed at or before it)`,
  };
}

export async function checkSnapshotNamespaces(atlas: AtlasTransport, request: RestoreRequest): Promise<string[]> {
  if (request.kind !== 'collection') return [];
  const checked = await snapshotToCheck(atlas, request);
  const held = await snapshotNamespaces(atlas, request.source, checked.snapshotId);
  const databases = new Set(held.map((ns) => ns.slice(0, ns.indexOf('.'))));
  const heldSet = new Set(held);
  const problems: FieldProblem[] = [];
  request.databases.forEach((d, i) => {
    if (!databases.has(d.sourceNamespace)) problems.push({ path: `databases.${i}.sourceNamespace`, rule: `database "${d.sourceNamespace}" is not in ${checked.name}` });
  });
  request.collections.forEach((c, i) => {
    if (!heldSet.has(c.sourceNamespace))
      problems.push({ path: `collections.${i}.sourceNamespace`, rule: `collection "${c.sourceNamespace}" is not in ${checked.name}` });
  });
  const list = held.length > SHOWN ? `${held.slice(0, SHOWN).join(', ')} and ${held.length - SHOWN} more` : held.join(', ');
  if (problems.length) {
    problems.push({ path: checked.field, rule: `snapshot ${checked.snapshotId} holds: ${list || 'no collections'}` });
    throw new RestoreRequestInvalidError(problems);
  }
  return [
    ...(checked.chosen ? [checked.chosen] : []),
    `snapshot ${checked.snapshotId} holds ${held.length} collection(s): ${list}`,
    'every database and collection asked for is in the snapshot',
  ];
}
