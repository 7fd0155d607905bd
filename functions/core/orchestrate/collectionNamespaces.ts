import { RestoreRequestInvalidError, type FieldProblem } from '../errors.js';
import type { AtlasTransport } from '../atlas/transport.js';
import { snapshotNamespaces } from '../restore/kinds/collection.js';
import type { RestoreRequest } from '../restore/request.js';

/**
 * Before a collection-level restore is created (or a dry run answers), the names it asks for are
 * checked against what the snapshot holds: Atlas would take an unknown name and report it NOT_FOUND
 * only once the job runs. The answer lists what the snapshot holds, for the dry run and the logs.
 * A point-in-time collection restore names no snapshot: nothing to list, so nothing is checked.
 */

const SHOWN = 50;

export async function checkSnapshotNamespaces(atlas: AtlasTransport, request: RestoreRequest): Promise<string[]> {
  if (request.kind !== 'collection' || !request.snapshotId) return [];
  const held = await snapshotNamespaces(atlas, request.source, request.snapshotId);
  const databases = new Set(held.map((ns) => ns.slice(0, ns.indexOf('.'))));
  const heldSet = new Set(held);
  const problems: FieldProblem[] = [];
  request.databases.forEach((d, i) => {
    if (!databases.has(d.sourceNamespace)) problems.push({ path: `databases.${i}.sourceNamespace`, rule: `database "${d.sourceNamespace}" is not in snapshot ${request.snapshotId}` });
  });
  request.collections.forEach((c, i) => {
    if (!heldSet.has(c.sourceNamespace))
      problems.push({ path: `collections.${i}.sourceNamespace`, rule: `collection "${c.sourceNamespace}" is not in snapshot ${request.snapshotId}` });
  });
  const list = held.length > SHOWN ? `${held.slice(0, SHOWN).join(', ')} and ${held.length - SHOWN} more` : held.join(', ');
  if (problems.length) {
    problems.push({ path: 'snapshotId', rule: `snapshot ${request.snapshotId} holds: ${list || 'no collections'}` });
    throw new RestoreRequestInvalidError(problems);
  }
  return [`snapshot ${request.snapshotId} holds ${held.length} collection(s): ${list}`, 'every database and collection asked for is in the snapshot'];
}
