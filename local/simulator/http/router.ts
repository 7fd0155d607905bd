import type { Principal } from '../auth/authenticate.js';
import type { RoleRequirement } from '../auth/roles.js';
import type { Store } from '../state/store.js';

/**
 * Operations and how a path finds one. Paths are templates under `/api/atlas/v2`; a literal segment
 * beats a parameter (`/backup/snapshots/shardedClusters` is not the snapshot "shardedClusters").
 */

export const API_PREFIX = '/api/atlas/v2';

export interface RequestContext {
  method: string;
  /** The full URL as the client addressed it on the simulator. */
  url: URL;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body; undefined when none was sent. */
  body: unknown;
  principal: Principal;
  version: string;
  store: Store;
  baseUrl: string;
  now: number;
}

interface Reply {
  status: number;
  body?: unknown;
}

export interface Operation {
  /** Atlas's short operation name (x-xgen-operation-id-override), used in logs and fault rules. */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Template under /api/atlas/v2, e.g. `/groups/{groupId}/clusters/{clusterName}`. */
  path: string;
  /** Supported versions, ascending. */
  versions: readonly string[];
  roles: RoleRequirement;
  handle(ctx: RequestContext): Reply;
}

interface Compiled {
  op: Operation;
  segments: string[];
}

export type RouteMatch =
  | { kind: 'found'; op: Operation; params: Record<string, string> }
  | { kind: 'wrongMethod' }
  | { kind: 'none' };

export class Router {
  private compiled: Compiled[] = [];

  constructor(ops: Operation[]) {
    this.compiled = ops.map((op) => ({ op, segments: `${API_PREFIX}${op.path}`.split('/').filter(Boolean) }));
  }

  get operations(): Operation[] {
    return this.compiled.map((c) => c.op);
  }

  match(method: string, pathname: string): RouteMatch {
    const parts = pathname.split('/').filter(Boolean);
    let best: { c: Compiled; params: Record<string, string>; literals: number } | undefined;
    let pathKnown = false;
    for (const c of this.compiled) {
      if (c.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let literals = 0;
      let ok = true;
      for (const [i, seg] of c.segments.entries()) {
        const part = parts[i] as string;
        if (seg.startsWith('{')) params[seg.slice(1, -1)] = safeDecode(part);
        else if (seg === part) literals += 1;
        else {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      pathKnown = true;
      if (c.op.method !== method) continue;
      if (!best || literals > best.literals) best = { c, params, literals };
    }
    if (best) return { kind: 'found', op: best.c.op, params: best.params };
    return pathKnown ? { kind: 'wrongMethod' } : { kind: 'none' };
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
