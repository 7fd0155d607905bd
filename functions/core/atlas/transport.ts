/**
 * The contract between the restore kinds and the HTTP client. Kinds build paths and bodies; the
 * client (./client.ts) owns auth, media types, retries, timeouts, pagination and error mapping.
 */

/** Versioned media types the restore endpoints declare (`application/vnd.atlas.<v>+json`). */
export type AtlasApiVersion = '2023-01-01' | '2024-08-05' | '2024-11-13' | '2025-03-12';

export type QueryValue = string | number | boolean | undefined;

export interface AtlasRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Absolute path on the API host, starting `/api/atlas/v2/`. */
  path: string;
  version: AtlasApiVersion;
  query?: Record<string, QueryValue>;
  body?: unknown;
}

export interface AtlasResponse<T> {
  status: number;
  body: T;
  headers: Record<string, string>;
}

export interface ListOptions {
  /** Defaults to 100 (Atlas allows 1-500). */
  itemsPerPage?: number;
  /** Stop after this many items (guards against a runaway list). */
  maxItems?: number;
}

export interface AtlasTransport {
  /**
   * One logical call. Throws the typed errors of ../errors.ts. A POST is only re-sent when Atlas
   * certainly did not act on it (429, or the connection failed before the request went out); any
   * other doubt surfaces as `AtlasCreateOutcomeUnknownError`.
   */
  request<T = unknown>(req: AtlasRequest): Promise<AtlasResponse<T>>;
  /** GETs every page (`pageNum`, `itemsPerPage`, `results`, `totalCount`) and returns all results. */
  listAll<T = unknown>(req: Omit<AtlasRequest, 'method' | 'body'>, options?: ListOptions): Promise<T[]>;
}

export const ATLAS_API_PREFIX = '/api/atlas/v2';
