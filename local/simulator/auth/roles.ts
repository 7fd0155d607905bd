import { z } from 'zod';

/**
 * Project roles as Atlas names them. The Admin API spells them GROUP_*; people (and the brief)
 * say PROJECT_*. Both are accepted in a world file and normalised to PROJECT_*.
 */
const PROJECT_ROLES = [
  'PROJECT_OWNER',
  'PROJECT_READ_ONLY',
  'PROJECT_BACKUP_MANAGER',
  'PROJECT_BACKUP_RECOVERY_OPERATOR',
  'PROJECT_BACKUP_EXPORT_OPERATOR',
  'PROJECT_BACKUP_CREATOR',
  'PROJECT_CLUSTER_MANAGER',
  'PROJECT_ALERTS_MANAGER',
] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

const RoleName = z
  .string()
  .transform((r) => (r.startsWith('GROUP_') ? `PROJECT_${r.slice('GROUP_'.length)}` : r))
  .pipe(z.enum(PROJECT_ROLES));

/** `{ "<groupId>" | "*": [roles] }`: "*" grants the roles on every project of the world. */
export const RoleGrants = z.record(z.string(), z.array(RoleName));
export type RoleGrants = z.infer<typeof RoleGrants>;

/** What an operation needs: any project role at all, or one of a list (PROJECT_OWNER always passes). */
export type RoleRequirement = 'anyProjectRole' | readonly ProjectRole[];

export function rolesOn(grants: RoleGrants, groupId: string): ProjectRole[] {
  return [...(grants[groupId] ?? []), ...(grants['*'] ?? [])];
}

/** Every Atlas project role includes Project Read Only; Project Owner includes everything. */
export function satisfies(held: readonly ProjectRole[], need: RoleRequirement): boolean {
  if (held.length === 0) return false;
  if (need === 'anyProjectRole' || held.includes('PROJECT_OWNER')) return true;
  return need.some((r) => held.includes(r));
}

/** Roles the spec's `x-rolesRequirements` name, per family of operation. */
export const NEEDS = {
  read: 'anyProjectRole',
  backupManager: ['PROJECT_BACKUP_MANAGER'],
  cloudRestore: ['PROJECT_BACKUP_EXPORT_OPERATOR', 'PROJECT_BACKUP_RECOVERY_OPERATOR', 'PROJECT_BACKUP_MANAGER'],
  cloudCancel: ['PROJECT_BACKUP_EXPORT_OPERATOR', 'PROJECT_BACKUP_RECOVERY_OPERATOR'],
  flexRestore: ['PROJECT_BACKUP_RECOVERY_OPERATOR'],
  flexDownload: ['PROJECT_BACKUP_EXPORT_OPERATOR'],
  owner: ['PROJECT_OWNER'],
  /** Alert configurations: writes need Project Alerts Manager (reads: Project Read Only). */
  alertsManager: ['PROJECT_ALERTS_MANAGER'],
} as const satisfies Record<string, RoleRequirement>;

/** What a restore onto another project needs there. */
export const TARGET_NEEDS: RoleRequirement = ['PROJECT_BACKUP_RECOVERY_OPERATOR', 'PROJECT_BACKUP_MANAGER'];
