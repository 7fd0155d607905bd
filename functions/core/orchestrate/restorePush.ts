import { restoreTarget, type RestoreRequest } from '../restore/request.js';
import type { RestoreContext } from '../workflow/contract.js';
import type { AlertsSettings } from '../plans/alertsSettings.js';

/**
 * Which restores an Atlas alert can wake: Cloud Backup restores (automated, point in time,
 * download; CPS_RESTORE_*) and collection-level restores (CPS_COLLECTION_RESTORE_*), the only ones
 * Atlas alerts on. Flex, shared-tier and legacy restores have no restore alert in Atlas and are
 * polled as before.
 *
 * The alert names only its project. Which project a restore's alert comes from is not documented
 * (the job lives under the source cluster; the data lands in the target's project), so a restore
 * listens to both when they differ: the cost of a wrong guess is one extra look, never a missed end.
 */
const ALERTING_KINDS: ReadonlySet<RestoreRequest['kind']> = new Set(['cloud', 'collection']);

export function restorePush(request: RestoreRequest, settings: AlertsSettings | undefined): RestoreContext['push'] {
  if (!settings || !ALERTING_KINDS.has(request.kind)) return undefined;
  const groupIds = [...new Set([request.source.groupId, restoreTarget(request)?.groupId].filter((g): g is string => g !== undefined))];
  return { groupIds, backstopPercent: settings.backstopPercent, backstopFloorSeconds: settings.backstopFloorSeconds };
}
