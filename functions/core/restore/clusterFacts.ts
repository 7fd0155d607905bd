import * as z from 'zod';
import { AtlasApiError } from '../domain/errors.js';
import type { ClusterRef } from '../domain/cluster.js';
import { ATLAS_API_PREFIX, type AtlasTransport } from '../atlas/transport.js';
import { enc, readAnswer } from './kinds/common.js';

/**
 * What Atlas says of a cluster before a restore, read the way the preflight needs it: whether it
 * exists, what kind it is, paused or not, its MongoDB major, topology and disk, and (sources) its
 * point-in-time restore window. Fields come from the spec's `ClusterDescription20240805`,
 * `FlexClusterDescription20241113` and `DiskBackupSnapshotSchedule`.
 */

export type ClusterKind = 'dedicated' | 'flex' | 'tenant';

export interface ClusterFacts {
  ref: ClusterRef;
  kind: ClusterKind;
  paused: boolean;
  /** "8.0". */
  major: string | undefined;
  sharded: boolean;
  /** Shards of a sharded cluster (one replication spec each in 2024-08-05); 1 for a replica set. */
  shards: number;
  /** The electable nodes' disk, when Atlas says. */
  diskSizeGB: number | undefined;
  pitEnabled: boolean;
}

/** A cluster Atlas does not know: the preflight names it instead of meeting 404 at the create. */
export type ClusterLookup = { found: true; facts: ClusterFacts } | { found: false; why: string };

const RegionConfig = z.looseObject({
  providerName: z.string().optional(),
  electableSpecs: z.looseObject({ diskSizeGB: z.number().optional() }).optional(),
});
const Cluster = z.looseObject({
  name: z.string(),
  clusterType: z.string().optional(),
  paused: z.boolean().optional(),
  mongoDBMajorVersion: z.string().optional(),
  mongoDBVersion: z.string().optional(),
  pitEnabled: z.boolean().optional(),
  replicationSpecs: z.array(z.looseObject({ regionConfigs: z.array(RegionConfig).default([]) })).default([]),
});
const FlexCluster = z.looseObject({ name: z.string(), mongoDBVersion: z.string().optional() });
const Schedule = z.looseObject({ restoreWindowDays: z.number().optional() });

/** "8.0.4" → "8.0"; "8.0" stays. */
export function majorOf(version: string | undefined): string | undefined {
  const m = version?.match(/^(\d+)\.(\d+)/);
  return m ? `${m[1]}.${m[2]}` : undefined;
}

const clusterPath = (c: ClusterRef) => `${ATLAS_API_PREFIX}/groups/${enc(c.groupId)}/clusters/${enc(c.clusterName)}`;

/**
 * GET the cluster (getCluster, 2024-08-05); a Flex cluster answers that API with
 * 400 CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API and is read from getFlexCluster (2024-11-13).
 * 404 (no such cluster or project) is an answer here, not an error.
 */
export async function readCluster(atlas: AtlasTransport, ref: ClusterRef): Promise<ClusterLookup> {
  try {
    const res = await atlas.request({ method: 'GET', path: clusterPath(ref), version: '2024-08-05' });
    const c = readAnswer(Cluster, res.body, 'get cluster');
    const regions = c.replicationSpecs.flatMap((s) => s.regionConfigs);
    const tenant = regions.some((r) => r.providerName === 'TENANT');
    const disk = regions.map((r) => r.electableSpecs?.diskSizeGB).find((d) => d !== undefined);
    const sharded = c.clusterType === 'SHARDED' || c.clusterType === 'GEOSHARDED';
    return {
      found: true,
      facts: {
        ref,
        kind: tenant ? 'tenant' : 'dedicated',
        paused: c.paused ?? false,
        major: majorOf(c.mongoDBMajorVersion ?? c.mongoDBVersion),
        sharded,
        shards: sharded ? Math.max(1, c.replicationSpecs.length) : 1,
        diskSizeGB: disk,
        pitEnabled: c.pitEnabled ?? false,
      },
    };
  } catch (err) {
    if (err instanceof AtlasApiError && err.errorCode === 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API') return readFlex(atlas, ref);
    if (err instanceof AtlasApiError && err.status === 404) return { found: false, why: `${err.errorCode ?? '404'}` };
    throw err;
  }
}

async function readFlex(atlas: AtlasTransport, ref: ClusterRef): Promise<ClusterLookup> {
  const res = await atlas.request({ method: 'GET', path: `${ATLAS_API_PREFIX}/groups/${enc(ref.groupId)}/flexClusters/${enc(ref.clusterName)}`, version: '2024-11-13' });
  const c = readAnswer(FlexCluster, res.body, 'get flex cluster');
  // Flex clusters are replica sets that cannot be paused (Atlas "Flex clusters" page).
  return { found: true, facts: { ref, kind: 'flex', paused: false, major: majorOf(c.mongoDBVersion), sharded: false, shards: 1, diskSizeGB: undefined, pitEnabled: false } };
}

/** Days of continuous cloud backup (getBackupSchedule, 2023-01-01); undefined when Atlas gives none. */
export async function readRestoreWindowDays(atlas: AtlasTransport, source: ClusterRef): Promise<number | undefined> {
  const res = await atlas.request({ method: 'GET', path: `${clusterPath(source)}/backup/schedule`, version: '2023-01-01' });
  return readAnswer(Schedule, res.body, 'get backup schedule').restoreWindowDays;
}
