import { ATLAS_API_PREFIX } from '../../atlas/transport.js';
import type { FlexRestoreRequest } from '../request.js';
import { enc } from './common.js';
import { sharedTierKind } from './sharedTier.js';

/**
 * Flex clusters: `/groups/{g}/flexClusters/{name}/backup`, media type 2024-11-13 only. Create and
 * list at `/restoreJobs` (lists are paged), downloads at `/download`, snapshots at `/snapshots`;
 * Atlas has no cancel for Flex restores.
 */
export const flexKind = sharedTierKind<FlexRestoreRequest>({
  kind: 'flex',
  version: '2024-11-13',
  backup: (s) => `${ATLAS_API_PREFIX}/groups/${enc(s.groupId)}/flexClusters/${enc(s.clusterName)}/backup`,
  createPath: 'restoreJobs',
  jobsPath: 'restoreJobs',
  pagedLists: true,
  downloadNamesDeployment: false,
});
