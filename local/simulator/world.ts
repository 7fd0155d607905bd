import { z } from 'zod';
import { RoleGrants } from './auth/roles.js';
import { FaultsConfig } from './faults.js';
import { isTimeExpression } from './time.js';

/**
 * What the simulated Atlas holds when it starts: projects, clusters with their data and snapshots,
 * who may call it, how long jobs take, which outcomes are scripted and which faults are on.
 * docs/simulator.md describes every field.
 */

const ObjectId = z.string().regex(/^[a-f0-9]{24}$/, 'must be a 24-character lowercase hex id');
const ClusterName = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9-]*$/, 'letters, digits and hyphens, not starting with a hyphen').max(64);
/** ISO-8601, or relative to the start: "now", "-6h", "+30m", "-2d", "-90s". */
const Time = z.string().refine(isTimeExpression, 'must be ISO-8601, "now", or relative like "-6h" / "+30m"');

const JOB_KINDS = [
  'cloud.automated',
  'cloud.download',
  'cloud.pointInTime',
  'flex.restore',
  'flex.download',
  'tenant.restore',
  'tenant.download',
  'legacy.automated',
  'legacy.download',
  'collection.restore',
] as const;
export const JobKind = z.enum(JOB_KINDS);
export type JobKind = z.infer<typeof JobKind>;
export type JobFamily = 'cloud' | 'flex' | 'tenant' | 'legacy' | 'collection';

/** Seconds each kind of job takes, on the simulator's clock. */
const JobDurations = z.partialRecord(JobKind, z.number().positive());
export const DEFAULT_DURATIONS: Record<JobKind, number> = {
  'cloud.automated': 600,
  'cloud.download': 300,
  'cloud.pointInTime': 900,
  'flex.restore': 300,
  'flex.download': 120,
  'tenant.restore': 300,
  'tenant.download': 120,
  'legacy.automated': 1200,
  'legacy.download': 600,
  'collection.restore': 600,
};

/** `database.collection`: a database name, a dot, a collection name (no `$`, no NUL). */
const Namespace = z.string().regex(/^[^.$\0/\\ "]{1,63}\.[^$\0]{1,200}$/, 'must be database.collection');
const NamespaceInput = z.object({ name: Namespace, documents: z.number().int().nonnegative().default(1000) }).strict();

export const SnapshotInput = z
  .object({
    id: ObjectId,
    createdAt: Time,
    status: z.enum(['queued', 'inProgress', 'completed', 'failed']).default('completed'),
    snapshotType: z.enum(['scheduled', 'onDemand', 'fallback']).default('scheduled'),
    frequencyType: z.enum(['hourly', 'daily', 'weekly', 'monthly', 'yearly']).default('daily'),
    /** The data the snapshot captured; defaults to the cluster's data at `createdAt`. */
    dataVersion: z.string().min(1).optional(),
    /** The collections the snapshot holds; defaults to the cluster's (a world gives no history of names). */
    namespaces: z.array(NamespaceInput).optional(),
    description: z.string().optional(),
    storageSizeBytes: z.number().int().nonnegative().default(1_073_741_824),
    /** The MongoDB version the snapshot was taken on; defaults to the cluster's (a snapshot from before an upgrade says its own). */
    mongodVersion: z.string().regex(/^\d+\.\d+\.\d+$/).optional(),
    /** Defaults to 7 days after `createdAt`. */
    expiresAt: Time.optional(),
  })
  .strict();
export type SnapshotInput = z.input<typeof SnapshotInput>;
export type SnapshotConfig = z.infer<typeof SnapshotInput>;

const CheckpointInput = z
  .object({
    id: ObjectId,
    timestamp: Time,
    dataVersion: z.string().min(1).optional(),
    restorable: z.boolean().default(true),
  })
  .strict();

const ClusterInput = z
  .object({
    name: ClusterName,
    /** Defaults to an id derived from the project id and the cluster's position. */
    id: ObjectId.optional(),
    kind: z.enum(['dedicated', 'flex', 'tenant']).default('dedicated'),
    sharded: z.boolean().default(false),
    /** Shards of a sharded cluster (1-50). */
    shards: z.number().int().min(1).max(50).optional(),
    /** Legacy Backup instead of Cloud Backup (dedicated clusters only). */
    legacyBackup: z.boolean().default(false),
    mongoDBVersion: z.string().regex(/^\d+\.\d+\.\d+$/).default('8.0.4'),
    instanceSize: z.string().optional(),
    /** Disk of each electable node in GB (dedicated clusters); restores of bigger snapshots are refused (inferred). */
    diskSizeGB: z.number().positive().default(40),
    paused: z.boolean().default(false),
    /** The data the cluster holds now: an opaque label that restores copy from cluster to cluster. */
    dataVersion: z.string().min(1),
    /** When the current data was written; defaults to just after the newest snapshot (or "-30d"). */
    dataVersionSince: Time.optional(),
    /** Earlier data, oldest first; snapshots and point-in-time restores read it. Defaults from the snapshots. */
    history: z.array(z.object({ at: Time, dataVersion: z.string().min(1) }).strict()).optional(),
    /** Continuous Cloud Backup restore window in hours; 0 = point-in-time restores are off. */
    pitWindowHours: z.number().min(0).default(0),
    snapshots: z.array(SnapshotInput).default([]),
    /** Legacy Backup checkpoints (sharded legacy clusters). */
    checkpoints: z.array(CheckpointInput).default([]),
    jobDurations: JobDurations.optional(),
    /** Seconds for this cluster's next jobs, one per job, before falling back to `jobDurations`. */
    durationSequence: z.array(z.number().positive()).default([]),
    /** The collections the cluster holds (collection-level restores read and write them one by one). */
    namespaces: z.array(NamespaceInput).default([]),
  })
  .strict();
type ClusterInput = z.input<typeof ClusterInput>;
export type ClusterConfig = z.infer<typeof ClusterInput>;

const ProjectInput = z.object({ id: ObjectId, name: z.string().min(1), clusters: z.array(ClusterInput).default([]) }).strict();

const ApiKeyInput = z
  .object({ publicKey: z.string().min(1), privateKey: z.string().min(1), description: z.string().optional(), roles: RoleGrants })
  .strict();
const ServiceAccountInput = z
  .object({ clientId: z.string().min(1), clientSecret: z.string().min(1), description: z.string().optional(), roles: RoleGrants })
  .strict();

/** "The next restore on cluster X fails": consumed in order by the first jobs that match. */
export const OutcomeRule = z
  .object({
    /** Source cluster name (where the job is created). */
    cluster: z.string().optional(),
    groupId: ObjectId.optional(),
    /** Target cluster (or deployment) name. */
    target: z.string().optional(),
    /** A job kind ("cloud.automated") or a whole family ("cloud"). */
    kind: z.union([JobKind, z.enum(['cloud', 'flex', 'tenant', 'legacy', 'collection'])]).optional(),
    /** fail → failed/FAILED/BROKEN; expire → expired; kill → cancelled by Atlas / KILLED; hang → never finishes. */
    outcome: z.enum(['succeed', 'fail', 'expire', 'kill', 'hang']),
    durationSeconds: z.number().positive().optional(),
    /** How many jobs this rule applies to (default 1). */
    times: z.number().int().min(1).default(1),
  })
  .strict();
export type OutcomeRuleInput = z.input<typeof OutcomeRule>;
export type OutcomeRule = z.infer<typeof OutcomeRule>;

const World = z
  .object({
    projects: z.array(ProjectInput).min(1),
    credentials: z
      .object({ apiKeys: z.array(ApiKeyInput).default([]), serviceAccounts: z.array(ServiceAccountInput).default([]) })
      .strict()
      .default({ apiKeys: [], serviceAccounts: [] }),
    /**
     * Atlas removed the shared-tier (M2/M5, "tenant") restore endpoints on 2026-04-17 (sunset 2026-01-22):
     * they answer 410 VERSION_GONE. `served` keeps the old era for tests of it.
     */
    tenantApi: z.enum(['retired', 'served']).default('retired'),
    jobDurations: JobDurations.default({}),
    outcomes: z.array(OutcomeRule).default([]),
    faults: FaultsConfig.default({ rules: [], deliveries: [] }),
    limits: z
      .object({
        maxActiveDownloadsPerProject: z.number().int().min(1).default(20),
        /** How long a download link works after the job finishes. */
        downloadLinkSeconds: z.number().positive().default(14_400),
      })
      .strict()
      .default({ maxActiveDownloadsPerProject: 20, downloadLinkSeconds: 14_400 }),
    auth: z
      .object({
        nonceTtlSeconds: z.number().positive().default(300),
        tokenTtlSeconds: z.number().positive().default(3_600),
        /** Algorithms offered in the Digest challenge (Atlas offers MD5; Atlas for Government SHA-256). */
        digestAlgorithms: z.array(z.enum(['MD5', 'SHA-256'])).min(1).default(['MD5']),
      })
      .strict()
      .default({ nonceTtlSeconds: 300, tokenTtlSeconds: 3_600, digestAlgorithms: ['MD5'] }),
  })
  .strict()
  .superRefine((w, ctx) => {
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const projectIds = new Set<string>();
    w.projects.forEach((p, pi) => {
      if (projectIds.has(p.id)) problem(['projects', pi, 'id'], `duplicate project id ${p.id}`);
      projectIds.add(p.id);
      const names = new Set<string>();
      p.clusters.forEach((c, ci) => {
        const at = ['projects', pi, 'clusters', ci];
        if (names.has(c.name)) problem([...at, 'name'], `duplicate cluster name ${c.name}`);
        names.add(c.name);
        if (c.kind !== 'dedicated' && (c.sharded || c.legacyBackup || c.pitWindowHours > 0))
          problem(at, `${c.kind} clusters cannot be sharded, use legacy backup or point-in-time restores`);
        if (!c.sharded && c.shards !== undefined && c.shards !== 1) problem([...at, 'shards'], 'only a sharded cluster has several shards');
        if (c.checkpoints.length > 0 && !c.legacyBackup) problem([...at, 'checkpoints'], 'only legacy backup clusters have checkpoints');
      });
    });
    const grants = [
      ...w.credentials.apiKeys.map((k, i) => ({ roles: k.roles, path: ['credentials', 'apiKeys', i, 'roles'] })),
      ...w.credentials.serviceAccounts.map((s, i) => ({ roles: s.roles, path: ['credentials', 'serviceAccounts', i, 'roles'] })),
    ];
    for (const g of grants)
      for (const key of Object.keys(g.roles))
        if (key !== '*' && !projectIds.has(key)) problem(g.path, `roles name project ${key}, which the world does not have`);
  });
export type WorldInput = z.input<typeof World>;
export type WorldConfig = z.infer<typeof World>;

export class WorldInvalidError extends Error {
  override name = 'WorldInvalidError';
}

/** Parses a world, with every problem's path in the message. */
export function parseWorld(input: unknown): WorldConfig {
  const parsed = World.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new WorldInvalidError(`invalid simulator world:\n  ${lines.join('\n  ')}`);
}
