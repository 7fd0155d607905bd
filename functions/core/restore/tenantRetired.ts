import { AtlasApiError, RestoreRequestInvalidError } from '../domain/errors.js';
import { ATLAS_API_PREFIX, type AtlasTransport } from '../atlas/transport.js';
import type { SourceCluster } from './fields.js';
import { enc } from './kinds/common.js';
import type { FlexRestoreRequest, RestoreRequest, TenantRestoreRequest } from './request.js';

/**
 * Atlas retired the shared-tier (M2/M5, "tenant") restore API: deprecated with a sunset of
 * 2026-01-22, removed from the spec on 2026-04-17, its clusters moved to Flex. A tenant plan or
 * request would pass every local check and then fail on its first call to Atlas, so plans (at
 * synth) and the API refuse it up front and say what to send instead. A tenant request that still
 * reaches the create step (an execution started directly) runs as Flex when Atlas reports the
 * cluster as Flex, and the report says so.
 */

const TENANT_API_RETIRED =
  'the shared-tier (M2/M5) restore API was retired by Atlas (sunset 2026-01-22, removed 2026-04-17) and its clusters are Flex now';

/** The same restore through the Flex endpoints: same snapshot, target and delivery. */
function flexEquivalent(request: TenantRestoreRequest): FlexRestoreRequest {
  return { ...request, kind: 'flex' };
}

/** What the API answers a tenant request: the rule, and the request to send instead. */
function tenantRequestRule(request: TenantRestoreRequest): string {
  return `${TENANT_API_RETIRED}; send the Flex equivalent instead: ${JSON.stringify(flexEquivalent(request))}`;
}

/** What synth answers a tenant plan: the source to write instead. */
export function tenantPlanRule(source: SourceCluster): string {
  const flexSource = { kind: 'flex', groupId: source.groupId, clusterName: source.clusterName };
  return `${TENANT_API_RETIRED}; the equivalent Flex plan has "source": ${JSON.stringify(flexSource)} and the same restore`;
}

/** The API's check: a tenant request is refused before any execution starts. */
export function refuseRetiredKind(request: RestoreRequest): void {
  if (request.kind === 'tenant') throw new RestoreRequestInvalidError([{ path: 'kind', rule: tenantRequestRule(request) }]);
}

/** Sentence the report carries when a tenant request was run as Flex. */
export const RAN_AS_FLEX = 'Requested as a shared-tier (tenant) restore; run as a Flex restore because Atlas retired the shared-tier API and reports this cluster as Flex.';

/**
 * A tenant request at the create step: the Flex request when Atlas reports the source as a Flex
 * cluster, else a refusal naming the Flex equivalent. Errors other than "not a Flex cluster"
 * (throttling, outages) propagate so the step's retries handle them.
 */
export async function tenantAsFlex(atlas: AtlasTransport, request: TenantRestoreRequest): Promise<FlexRestoreRequest> {
  const path = `${ATLAS_API_PREFIX}/groups/${enc(request.source.groupId)}/flexClusters/${enc(request.source.clusterName)}`;
  try {
    await atlas.request({ method: 'GET', path, version: '2024-11-13' });
  } catch (err) {
    // 404 (no such Flex cluster) or 400 (a cluster, but not a Flex one): Atlas does not report it as Flex.
    if (err instanceof AtlasApiError && (err.status === 404 || err.status === 400))
      throw new RestoreRequestInvalidError([{ path: 'kind', rule: tenantRequestRule(request) }]);
    throw err;
  }
  return flexEquivalent(request);
}
