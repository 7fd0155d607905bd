import { ATLAS_API_PREFIX } from '../../atlas/transport.js';
import type { TenantRestoreRequest } from '../request.js';
import { enc } from './common.js';
import { sharedTierKind } from './sharedTier.js';

/**
 * Shared tier M2/M5 ("tenant"): `/groups/{g}/clusters/{c}/backup/tenant`, 2023-01-01. Create at
 * `/restore`, read at `/restores` and `/restores/{id}` (lists take no paging parameters), snapshots
 * at `/snapshots`; no cancel. Atlas sunset these endpoints on 2026-01-22 and removed them on
 * 2026-04-17 (the clusters are Flex now): plans and the API refuse this kind (../tenantRetired.ts);
 * the module stays for executions that still carry a tenant request and for the old era's tests.
 */
export const tenantKind = sharedTierKind<TenantRestoreRequest>({
  kind: 'tenant',
  version: '2023-01-01',
  backup: (s) => `${ATLAS_API_PREFIX}/groups/${enc(s.groupId)}/clusters/${enc(s.clusterName)}/backup/tenant`,
  createPath: 'restore',
  jobsPath: 'restores',
  pagedLists: false,
  downloadNamesDeployment: true,
});
