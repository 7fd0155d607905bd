import type { AtlasTransport } from '../atlas/transport.js';
import { RAN_AS_FLEX, tenantAsFlex } from '../restore/tenantRetired.js';
import type { CheckedRun } from './resolve.js';

/**
 * A shared-tier (tenant) request that reaches the create step (the API refuses them; a direct
 * StartExecution does not go through it) runs as Flex when Atlas reports the cluster as Flex, and
 * says so in its checks and its summary (which the report carries); otherwise it is refused.
 */
export async function runTenantAsFlex(run: CheckedRun, atlas: AtlasTransport): Promise<{ run: CheckedRun; note?: string }> {
  if (run.request?.kind !== 'tenant') return { run };
  const request = await tenantAsFlex(atlas, run.request);
  return { run: { ...run, kind: 'flex', request, checks: [...run.checks, RAN_AS_FLEX] }, note: RAN_AS_FLEX };
}
