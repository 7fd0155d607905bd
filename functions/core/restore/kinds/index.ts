import type { RestoreKind } from '../kind.js';
import type { RestoreKindName, RestoreRequest } from '../request.js';
import { cloudKind } from './cloud.js';
import { collectionKind } from './collection.js';
import { flexKind } from './flex.js';
import { legacyKind } from './legacy.js';
import { tenantKind } from './tenant.js';

export { cloudKind, flexKind, legacyKind, tenantKind };

/**
 * Every restore kind by name: what the workflow steps dispatch on. Each module is typed on its own
 * request; the map widens them, and `kindFor` only ever hands a kind the request of its own name.
 */
export const restoreKinds: Record<RestoreKindName, RestoreKind> = {
  cloud: cloudKind as RestoreKind,
  flex: flexKind as RestoreKind,
  tenant: tenantKind as RestoreKind,
  legacy: legacyKind as RestoreKind,
  collection: collectionKind as RestoreKind,
};

export function kindFor(request: RestoreRequest): RestoreKind {
  return restoreKinds[request.kind];
}
