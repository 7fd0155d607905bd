import type { RestoreStatus } from '../restore/status.js';

/**
 * How far a collection-level restore got, for people: documents restored of the total, then each
 * collection with where it went and Atlas's state for it (NOT_FOUND and FAILED ones stand out).
 * Long lists are cut: a report must stay readable in Slack and in an SMS bridge.
 */

const SHOWN = 20;

export function progressFacts(progress: RestoreStatus['progress']): [string, string | undefined][] {
  if (!progress) return [];
  const each = progress.namespaces.map((n) => `${n.source}${n.target !== n.source ? ` → ${n.target}` : ''}: ${n.state}`);
  const shown = each.length > SHOWN ? [...each.slice(0, SHOWN), `and ${each.length - SHOWN} more`] : each;
  return [
    ['Documents restored', `${progress.restoredDocuments} of ${progress.totalDocuments}`],
    ['Collections', shown.length ? shown.join('; ') : undefined],
  ];
}
