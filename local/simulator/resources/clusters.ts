import { NEEDS } from '../auth/roles.js';
import type { Operation, RequestContext } from '../http/router.js';
import { V2023, V2023_02, V2024_08, V2024_11 } from '../http/versions.js';
import type { ClusterState } from '../state/model.js';
import { iso } from '../time.js';
import { rolesOn } from '../auth/roles.js';
import { deriveId } from '../state/build.js';
import { clusterFor, selfLink } from './common.js';

/**
 * GET one cluster (dedicated and shared tier) and GET one Flex cluster: enough of their
 * descriptions for a client to tell what it is talking to. Their data lives only in the simulator.
 */

/** IDLE, or UPDATING while a restore writes to it (inferred: Atlas shows the cluster as busy then). */
function stateName(ctx: RequestContext, c: ClusterState): string {
  return !c.paused && ctx.store.restoreRunningOnto(c) ? 'UPDATING' : 'IDLE';
}

function clusterView(ctx: RequestContext, c: ClusterState) {
  const tenant = c.kind === 'tenant';
  const regionConfig = tenant
    ? { providerName: 'TENANT', backingProviderName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: c.instanceSize } }
    : { providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: c.instanceSize, nodeCount: 3, diskSizeGB: c.diskSizeGB } };
  const legacyShape = ctx.version === V2023;
  const specs = legacyShape
    ? [{ id: c.id, numShards: c.shards, zoneName: 'Zone 1', regionsConfig: { US_EAST_1: { electableNodes: 3, priority: 7 } } }]
    : Array.from({ length: c.shards }, (_, i) => ({ id: `${c.id.slice(0, 20)}${String(i).padStart(4, '0')}`, zoneName: 'Zone 1', regionConfigs: [regionConfig] }));
  return {
    id: c.id,
    groupId: c.groupId,
    name: c.name,
    clusterType: c.sharded ? 'SHARDED' : 'REPLICASET',
    createDate: iso(c.createdAt),
    mongoDBVersion: c.mongoDBVersion,
    mongoDBMajorVersion: c.mongoDBVersion.split('.')[0] + '.0',
    stateName: stateName(ctx, c),
    paused: c.paused,
    backupEnabled: c.legacyBackup,
    providerBackupEnabled: !c.legacyBackup && !tenant,
    pitEnabled: c.pitWindowHours > 0,
    terminationProtectionEnabled: false,
    versionReleaseSystem: 'LTS',
    replicationSpecs: specs,
    // Before 2024-08-05 the disk size is the cluster's; from it, each region config's electable specs say it.
    ...(ctx.version !== V2024_08 && !tenant && { diskSizeGB: c.diskSizeGB }),
    ...(legacyShape && { providerSettings: { providerName: tenant ? 'TENANT' : 'AWS', instanceSizeName: c.instanceSize, regionName: 'US_EAST_1' } }),
    links: selfLink(ctx, `/groups/${c.groupId}/clusters/${c.name}`),
  };
}

function flexView(ctx: RequestContext, c: ClusterState) {
  return {
    id: c.id,
    groupId: c.groupId,
    name: c.name,
    clusterType: 'REPLICASET',
    createDate: iso(c.createdAt),
    mongoDBVersion: c.mongoDBVersion,
    stateName: stateName(ctx, c),
    backupSettings: { enabled: true },
    providerSettings: { backingProviderName: 'AWS', providerName: 'FLEX', regionName: 'US_EAST_1', diskSizeGB: 5 },
    terminationProtectionEnabled: false,
    versionReleaseSystem: 'LTS',
    links: selfLink(ctx, `/groups/${c.groupId}/flexClusters/${c.name}`),
  };
}

/**
 * GET /api/atlas/v2 (getSystemStatus): the key's own roles, one assignment per project ("*" grants
 * spelt out for each project of the world), Atlas's GROUP_* names. A service account gets no
 * `apiKey` (inferred: the spec's ApiKey is nullable and describes API keys only).
 */
function systemStatus(ctx: RequestContext) {
  const p = ctx.principal;
  const roles = [...ctx.store.projects.keys()].flatMap((groupId) =>
    [...new Set(rolesOn(p.roles, groupId))].map((r) => ({ groupId, roleName: r.replace(/^PROJECT_/, 'GROUP_') })),
  );
  return {
    appName: 'MongoDB Atlas',
    build: deriveId('build', 'simulator').padEnd(40, '0'),
    throttling: false,
    apiKey: p.type === 'digest' ? { id: deriveId('apiKey', p.id), publicKey: p.id, accessList: [], roles } : null,
    links: selfLink(ctx, ''),
  };
}

/**
 * GET …/backup/schedule (getBackupSchedule): only what a restore reads, `restoreWindowDays` (the
 * world's pitWindowHours in days; a world may give a window of part days, Atlas only whole ones).
 */
function backupSchedule(ctx: RequestContext) {
  const c = clusterFor(ctx, 'cloudBackup');
  return {
    clusterId: c.id,
    clusterName: c.name,
    autoExportEnabled: false,
    useOrgAndGroupNamesInExportPrefix: false,
    ...(c.pitWindowHours > 0 && { restoreWindowDays: c.pitWindowHours / 24 }),
    policies: [],
    links: selfLink(ctx, `/groups/${c.groupId}/clusters/${c.name}/backup/schedule`),
  };
}

export const clusterOperations: Operation[] = [
  { name: 'getSystemStatus', method: 'GET', path: '', versions: [V2023], roles: 'anyProjectRole', handle: (ctx) => ({ status: 200, body: systemStatus(ctx) }) },
  {
    name: 'getBackupSchedule',
    method: 'GET',
    path: '/groups/{groupId}/clusters/{clusterName}/backup/schedule',
    versions: [V2023, V2024_08],
    roles: NEEDS.read,
    handle: (ctx) => ({ status: 200, body: backupSchedule(ctx) }),
  },
  {
    name: 'getCluster',
    method: 'GET',
    path: '/groups/{groupId}/clusters/{clusterName}',
    versions: [V2023, V2023_02, V2024_08],
    roles: NEEDS.read,
    handle: (ctx) => ({ status: 200, body: clusterView(ctx, clusterFor(ctx, 'cluster')) }),
  },
  {
    name: 'getFlexCluster',
    method: 'GET',
    path: '/groups/{groupId}/flexClusters/{name}',
    versions: [V2024_11],
    roles: NEEDS.read,
    handle: (ctx) => ({ status: 200, body: flexView(ctx, clusterFor(ctx, 'flex')) }),
  },
];
