import * as z from 'zod';
import { AtlasApiError } from '../domain/errors.js';
import { ATLAS_API_PREFIX, type AtlasTransport } from './transport.js';

/**
 * What the key may do, before it tries: the roles Atlas says the key holds, and the least role each
 * Atlas call of a restore needs (the spec's `x-rolesRequirements`), so a dry run can name the role a
 * key lacks instead of meeting a bare 403 at the create.
 */

/** Project roles as people read them; Atlas spells them `GROUP_*` in role assignments. */
const PROJECT_ROLES = {
  PROJECT_OWNER: 'Project Owner',
  PROJECT_READ_ONLY: 'Project Read Only',
  PROJECT_BACKUP_MANAGER: 'Project Backup Manager',
  PROJECT_BACKUP_RECOVERY_OPERATOR: 'Project Backup Recovery Operator',
  PROJECT_BACKUP_EXPORT_OPERATOR: 'Project Backup Export Operator',
} as const;
export type ProjectRole = keyof typeof PROJECT_ROLES;

/** One Atlas call a restore makes, and the roles of which any one lets the key make it. */
export interface CallNeed {
  /** What the call is for, in people's words: "to list restore jobs". */
  purpose: string;
  /** The spec's operation, for the curious and the docs. */
  operation: string;
  /** Any one of these is enough (`x-rolesRequirements` lists the least role; see `holds` for the higher ones). */
  anyOf: readonly ProjectRole[];
}

/**
 * `x-rolesRequirements` of the spec (atlas-admin-api-v2.yaml) for the calls a restore makes. Where
 * a create lists Export Operator or Recovery Operator, the March 2026 spec text also allowed Project
 * Backup Manager; Atlas still accepts it, so it is kept.
 */
export const CALL_NEEDS = {
  readCluster: { purpose: 'to read the target cluster', operation: 'getCluster', anyOf: ['PROJECT_READ_ONLY'] },
  readSchedule: { purpose: 'to read the restore window (backup schedule)', operation: 'getBackupSchedule', anyOf: ['PROJECT_READ_ONLY'] },
  listSnapshots: { purpose: 'to list snapshots', operation: 'listBackupSnapshots', anyOf: ['PROJECT_READ_ONLY'] },
  listRestoreJobs: { purpose: 'to list restore jobs', operation: 'listBackupRestoreJobs', anyOf: ['PROJECT_BACKUP_MANAGER'] },
  createRestoreJob: {
    purpose: 'to create the restore job',
    operation: 'createBackupRestoreJob',
    anyOf: ['PROJECT_BACKUP_EXPORT_OPERATOR', 'PROJECT_BACKUP_RECOVERY_OPERATOR', 'PROJECT_BACKUP_MANAGER'],
  },
  createDownload: {
    purpose: 'to create the download job',
    operation: 'createBackupRestoreJob (download)',
    anyOf: ['PROJECT_BACKUP_EXPORT_OPERATOR', 'PROJECT_BACKUP_RECOVERY_OPERATOR', 'PROJECT_BACKUP_MANAGER'],
  },
  /**
   * Writing onto a cluster of another project: Atlas answers 403 CANNOT_RESTORE_TO_TARGET without a
   * restore role there. Which roles count there is not in the spec: inferred (the simulator agrees).
   */
  writeTarget: { purpose: 'to restore onto a cluster of this project (inferred)', operation: 'createBackupRestoreJob (target)', anyOf: ['PROJECT_BACKUP_RECOVERY_OPERATOR', 'PROJECT_BACKUP_MANAGER'] },
  listFlexRestoreJobs: { purpose: 'to list Flex restore jobs', operation: 'listFlexBackupRestoreJobs', anyOf: ['PROJECT_READ_ONLY'] },
  createFlexRestoreJob: { purpose: 'to create the Flex restore job', operation: 'createFlexBackupRestoreJob', anyOf: ['PROJECT_BACKUP_RECOVERY_OPERATOR'] },
  createFlexDownload: { purpose: 'to create the Flex download', operation: 'downloadFlexBackup', anyOf: ['PROJECT_BACKUP_EXPORT_OPERATOR'] },
  listCollectionRestoreJobs: { purpose: 'to list collection restore jobs', operation: 'listCollectionRestoreJobs', anyOf: ['PROJECT_BACKUP_MANAGER'] },
  readSnapshotNamespaces: { purpose: "to read a snapshot's databases and collections", operation: 'listBackupSnapshotDatabases', anyOf: ['PROJECT_BACKUP_MANAGER'] },
  createCollectionRestoreJob: { purpose: 'to create the collection restore job', operation: 'createCollectionRestoreJob', anyOf: ['PROJECT_BACKUP_RECOVERY_OPERATOR'] },
  listLegacyRestoreJobs: { purpose: 'to list legacy restore jobs', operation: 'listClusterRestoreJobs', anyOf: ['PROJECT_READ_ONLY'] },
  createLegacyRestoreJob: { purpose: 'to create the legacy restore job', operation: 'createClusterRestoreJob', anyOf: ['PROJECT_OWNER'] },
} as const satisfies Record<string, CallNeed>;

/**
 * Whether roles held satisfy a need. Documented (Atlas "user roles" page): Project Owner holds every
 * project role, and every project role includes Project Read Only. Inferred: an organisation owner
 * counts as Project Owner, an organisation read-only as Project Read Only, on every project the key
 * names (Atlas does not tell which organisation a project belongs to without another call).
 */
export function holds(held: readonly ProjectRole[], need: Pick<CallNeed, 'anyOf'>): boolean {
  if (held.length === 0) return false;
  if (held.includes('PROJECT_OWNER')) return true;
  return need.anyOf.some((r) => held.includes(r) || (r === 'PROJECT_READ_ONLY' && held.length > 0));
}

/** The key's project roles, per project ('*' for organisation roles that reach every project). */
export type KeyRoles = Map<string, ProjectRole[]>;

const RoleAssignment = z.looseObject({ groupId: z.string().optional(), orgId: z.string().optional(), roleName: z.string() });
const SystemStatus = z.looseObject({
  apiKey: z.looseObject({ roles: z.array(RoleAssignment).default([]) }).nullable().optional(),
});

/** `GROUP_BACKUP_MANAGER` or `PROJECT_BACKUP_MANAGER` → `PROJECT_BACKUP_MANAGER`; anything else → undefined. */
function projectRole(name: string): ProjectRole | undefined {
  const normal = name.startsWith('GROUP_') ? `PROJECT_${name.slice('GROUP_'.length)}` : name;
  return normal in PROJECT_ROLES ? (normal as ProjectRole) : undefined;
}

/** Organisation roles that reach projects (inferred, see `holds`). */
const ORG_REACH: Record<string, ProjectRole> = { ORG_OWNER: 'PROJECT_OWNER', ORG_READ_ONLY: 'PROJECT_READ_ONLY' };

/**
 * Reads the key's roles from `GET /api/atlas/v2` (getSystemStatus, 2023-01-01: `apiKey.roles`).
 * Undefined when Atlas does not say (a service account has no `apiKey`, or the call itself is
 * refused): the caller then learns from the first 401/403 instead.
 */
export async function readKeyRoles(atlas: AtlasTransport): Promise<KeyRoles | undefined> {
  let body: unknown;
  try {
    body = (await atlas.request({ method: 'GET', path: ATLAS_API_PREFIX, version: '2023-01-01' })).body;
  } catch (err) {
    if (err instanceof AtlasApiError && err.status >= 400 && err.status < 500) return undefined;
    throw err;
  }
  const parsed = SystemStatus.safeParse(body);
  const roles = parsed.success ? parsed.data.apiKey?.roles : undefined;
  if (!roles) return undefined;
  const byProject: KeyRoles = new Map();
  const add = (where: string, role: ProjectRole) => byProject.set(where, [...(byProject.get(where) ?? []), role]);
  for (const r of roles) {
    const role = r.groupId ? projectRole(r.roleName) : r.orgId ? ORG_REACH[r.roleName] : undefined;
    if (role) add(r.groupId ?? '*', role);
  }
  return byProject;
}

/** The roles the key holds on one project (its own and those reaching every project). */
export function rolesOnProject(roles: KeyRoles, groupId: string): ProjectRole[] {
  return [...(roles.get(groupId) ?? []), ...(roles.get('*') ?? [])];
}

/** "Project Backup Manager", or "Project Backup Export Operator or Project Backup Recovery Operator". */
export function roleWords(need: Pick<CallNeed, 'anyOf'>): string {
  return need.anyOf.map((r) => PROJECT_ROLES[r]).join(' or ');
}
