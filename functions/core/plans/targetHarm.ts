import type { RestoreRequest } from '../restore/request.js';
import type { Plan } from './schema.js';

/**
 * What a restore does to its target, for the refusals that say why a target is guarded: a
 * snapshot or point-in-time restore wipes the whole cluster first; a collections restore with
 * OVERWRITE_EXISTING replaces only the collections it names (CREATE_NEW is not guarded at all).
 */
export type TargetHarm = 'wipe' | 'overwriteCollections';

export const harmOfPlan = (plan: Plan): TargetHarm => (plan.restore.type === 'collections' ? 'overwriteCollections' : 'wipe');

export const harmOfRequest = (request: RestoreRequest): TargetHarm => (request.kind === 'collection' ? 'overwriteCollections' : 'wipe');

/** The harm, said of the cluster it falls on ("the target", "the source"). */
export function harmWords(harm: TargetHarm, onto: 'target' | 'source'): string {
  return harm === 'wipe'
    ? `Atlas deletes all data on the ${onto} first`
    : `the restore overwrites the collections it names on the ${onto} (OVERWRITE_EXISTING drops them and writes the snapshot's)`;
}
