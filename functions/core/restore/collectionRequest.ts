import * as z from 'zod';
import { ClusterName, EpochSeconds, ObjectId, OplogIncrement, SourceCluster } from './fields.js';

/**
 * A collection-level restore request (Atlas `collectionRestoreJobs`, 2025-03-12): chosen databases
 * and collections of a Cloud Backup snapshot, or of a point in time, onto a target cluster. The
 * spec's rules: target, writeStrategy and indexStrategy required, at most 100 databases and 100
 * collections. Ours on top: at least one namespace, and exactly one of a snapshot, a UTC time or an
 * oplog position (the same choice a cloud point-in-time restore makes).
 */

const WRITE_STRATEGIES = ['CREATE_NEW', 'OVERWRITE_EXISTING'] as const;
const INDEX_STRATEGIES = ['ALL', 'NONE', 'ALL_EXCEPT_TTL'] as const;
const MAX_NAMESPACES = 100;

/** MongoDB's rules for names: a database has no `.`, `$`, `/`, `\`, space, `"` or NUL; a collection no `$` or NUL. */
const DATABASE = /^[^./\\ "$\0]{1,63}$/;
const COLLECTION_NS = /^[^./\\ "$\0]{1,63}\.[^$\0]{1,200}$/;
const Database = z.string().regex(DATABASE, 'must be a database name (no . / \\ space " $)');
const CollectionNs = z.string().regex(COLLECTION_NS, 'must be database.collection');
const Suffix = z.string().regex(/^[^./\\ "$\0]{1,32}$/, 'must be 1-32 characters without . / \\ space " $');

const DatabaseChoice = z.object({ sourceNamespace: Database, targetNamespace: Database.optional() }).strict();
const CollectionChoice = z.object({ sourceNamespace: CollectionNs, targetNamespace: CollectionNs.optional() }).strict();

/** The choice of data shared by plans and requests: what to bring back and how to write it. */
export const collectionChoiceFields = {
  writeStrategy: z.enum(WRITE_STRATEGIES),
  indexStrategy: z.enum(INDEX_STRATEGIES).default('ALL'),
  databases: z.array(DatabaseChoice).max(MAX_NAMESPACES, `at most ${MAX_NAMESPACES} databases per restore`).default([]),
  collections: z.array(CollectionChoice).max(MAX_NAMESPACES, `at most ${MAX_NAMESPACES} collections per restore`).default([]),
  databaseSuffix: Suffix.optional(),
  collectionSuffix: Suffix.optional(),
};

function needsNamespaces(r: { databases: unknown[]; collections: unknown[] }, ctx: z.RefinementCtx): void {
  if (!r.databases.length && !r.collections.length)
    ctx.addIssue({ code: 'custom', path: ['collections'], message: 'name at least one database or collection to restore' });
}

export const CollectionRestoreRequest = z
  .object({
    kind: z.literal('collection'),
    source: SourceCluster,
    target: z.object({ groupId: ObjectId, clusterName: ClusterName }).strict(),
    snapshotId: ObjectId.optional(),
    pointInTimeUTCSeconds: EpochSeconds.optional(),
    oplogTs: EpochSeconds.optional(),
    oplogInc: OplogIncrement.optional(),
    ...collectionChoiceFields,
  })
  .strict()
  .superRefine((r, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    needsNamespaces(r, ctx);
    const oplog = r.oplogTs !== undefined || r.oplogInc !== undefined;
    const chosen = [r.snapshotId !== undefined, r.pointInTimeUTCSeconds !== undefined, oplog].filter(Boolean).length;
    if (chosen !== 1) problem('snapshotId', 'give exactly one of snapshotId, pointInTimeUTCSeconds, or oplogTs with oplogInc');
    if (r.oplogTs !== undefined && r.oplogInc === undefined) problem('oplogInc', 'is required with oplogTs');
    if (r.oplogInc !== undefined && r.oplogTs === undefined) problem('oplogTs', 'is required with oplogInc');
  });
