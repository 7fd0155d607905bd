import type { AtlasRequest, AtlasResponse, AtlasTransport, QueryValue } from '../../../functions/core/atlas/transport.js';

/**
 * A hand-written AtlasTransport for unit tests of the restore kinds: answers from a route table
 * and records every call (method, path, media type version, body, query), so a test can assert
 * exactly what a kind would send to Atlas. `listAll` is recorded as a GET with `list: true`.
 */

export interface RecordedCall {
  method: AtlasRequest['method'];
  path: string;
  version: string;
  body?: unknown;
  query?: Record<string, QueryValue>;
  list: boolean;
}

type Answer = unknown | ((call: RecordedCall) => unknown);

export class FakeAtlas implements AtlasTransport {
  readonly calls: RecordedCall[] = [];
  private readonly routes = new Map<string, Answer>();

  /** Answers `method path` with a body (request) or an array of items (listAll); a function may throw. */
  on(method: AtlasRequest['method'], path: string, answer: Answer): this {
    this.routes.set(`${method} ${path}`, answer);
    return this;
  }

  private answer(call: RecordedCall): unknown {
    const key = `${call.method} ${call.path}`;
    if (!this.routes.has(key)) throw new Error(`FakeAtlas has no route for ${key}`);
    const answer = this.routes.get(key);
    return typeof answer === 'function' ? (answer as (c: RecordedCall) => unknown)(call) : structuredClone(answer);
  }

  async request<T = unknown>(req: AtlasRequest): Promise<AtlasResponse<T>> {
    const call: RecordedCall = {
      method: req.method,
      path: req.path,
      version: req.version,
      list: false,
      ...(req.body !== undefined ? { body: req.body } : {}),
      ...(req.query ? { query: req.query } : {}),
    };
    this.calls.push(call);
    const body = this.answer(call);
    return { status: req.method === 'DELETE' ? 204 : 200, body: body as T, headers: {} };
  }

  async listAll<T = unknown>(req: Omit<AtlasRequest, 'method' | 'body'>): Promise<T[]> {
    const call: RecordedCall = { method: 'GET', path: req.path, version: req.version, list: true, ...(req.query ? { query: req.query } : {}) };
    this.calls.push(call);
    const items = this.answer(call);
    if (!Array.isArray(items)) throw new Error(`FakeAtlas route GET ${req.path} must answer a list for listAll`);
    return items as T[];
  }
}

/** Realistic ids: 24 lowercase hex. */
export const IDS = {
  prodGroup: '65f1c0ffee00000000000a01',
  stagingGroup: '65f1c0ffee00000000000b02',
  snapshotOld: '66a0b1c2d3e4f5a6b7c8d901',
  snapshotMid: '66a0b1c2d3e4f5a6b7c8d902',
  snapshotNew: '66a0b1c2d3e4f5a6b7c8d903',
  job1: '67b1c2d3e4f5a6b7c8d9e0f1',
  job2: '67b1c2d3e4f5a6b7c8d9e0f2',
  job3: '67b1c2d3e4f5a6b7c8d9e0f3',
  batch: '67b1c2d3e4f5a6b7c8d9eaaa',
  checkpoint: '68c2d3e4f5a6b7c8d9e0f1a2',
} as const;

export const PROD = { groupId: IDS.prodGroup, clusterName: 'prod-cluster' };
export const STAGING = { groupId: IDS.stagingGroup, clusterName: 'staging-cluster' };
