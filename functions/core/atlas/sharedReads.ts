import type { AtlasRequest, AtlasResponse, AtlasTransport, ListOptions } from './transport.js';

/**
 * A transport for one decision (a create step): the same read asked twice before any write is
 * answered once. The create step looks at the source's restore jobs to adopt one in flight and
 * again to see whether the target is busy; both questions are about the same moment, and each
 * extra list is a call against the project's rate limit (100 restores starting together made
 * hundreds of 429s before this).
 *
 * Any write (POST, DELETE, PATCH), whether it succeeds or fails, forgets everything read so far:
 * after a create whose answer was lost, the look for the job it may have made must be fresh.
 * A failed read is forgotten too, so the next ask tries again.
 */
export function sharedReads(atlas: AtlasTransport): AtlasTransport {
  const reads = new Map<string, Promise<unknown>>();

  function once<T>(key: string, read: () => Promise<T>): Promise<T> {
    const known = reads.get(key);
    if (known) return known as Promise<T>;
    const pending = read();
    reads.set(key, pending);
    pending.catch(() => {
      if (reads.get(key) === pending) reads.delete(key);
    });
    return pending;
  }

  return {
    request<T>(req: AtlasRequest): Promise<AtlasResponse<T>> {
      if (req.method !== 'GET') {
        reads.clear();
        return atlas.request<T>(req);
      }
      return once(JSON.stringify(['request', req.path, req.version, req.query ?? {}]), () => atlas.request<T>(req));
    },
    listAll<T>(req: Omit<AtlasRequest, 'method' | 'body'>, options?: ListOptions): Promise<T[]> {
      return once(JSON.stringify(['list', req.path, req.version, req.query ?? {}, options ?? {}]), () => atlas.listAll<T>(req, options));
    },
  };
}
