import { describe, expect, it } from 'vitest';
import { createAtlasClient, type AtlasClientEvent, type AtlasClientOptions } from '../../../functions/core/atlas/client.js';
import {
  AtlasAuthFailedError,
  AtlasConflictError,
  AtlasCredentialsInvalidError,
  AtlasInvalidRequestError,
  AtlasNotFoundError,
  AtlasThrottledError,
  AtlasUnavailableError,
  type AtlasApiError,
} from '../../../functions/core/domain/errors.js';
import { acceptAnyDigest, atlasError, authParams, closedAfterEach, echoText, expectNothingLeaked, fakeTime, rejectionOf, sendJson, startServer, type Handler } from './helpers.js';

const GROUP = '0123456789abcdef01234567';
const JOBS = `/api/atlas/v2/groups/${GROUP}/clusters/prod/backup/restoreJobs`;
const PRIVATE_KEY = 'f00dcafe-1234-4abc-9def-0123456789ab';
const PUBLIC_KEY = 'pubkey7788';

describe('Atlas client', () => {
  const open = closedAfterEach();

  async function serve(answer: Handler, options: Partial<AtlasClientOptions> = {}) {
    open.server = await startServer(acceptAnyDigest(answer));
    const events: AtlasClientEvent[] = [];
    const time = fakeTime();
    open.client = createAtlasClient({
      baseUrl: open.server.url,
      credentials: { type: 'digest', publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY },
      sleep: time.sleep,
      now: time.now,
      onEvent: (e) => events.push(e),
      ...options,
    });
    const api = () => open.server!.seen.filter((s) => s.headers.authorization !== undefined);
    return { client: open.client, events, api, time };
  }

  describe('wire format', () => {
    it('sends the versioned media type, the JSON body and the query, and reads rate limits', async () => {
      const { client, api, events } = await serve((_seen, res) =>
        sendJson(res, 200, { id: 'job1' }, { 'ratelimit-limit': '100', 'ratelimit-remaining': '97', 'x-xgen-version': '2024-11-13' }),
      );
      const res = await client.request<{ id: string }>({
        method: 'POST',
        path: JOBS,
        version: '2024-11-13',
        query: { pretty: false, skipped: undefined, name: 'a b' },
        body: { deliveryType: 'download' },
      });
      expect(res).toMatchObject({ status: 200, body: { id: 'job1' } });
      expect(res.headers['x-xgen-version']).toBe('2024-11-13');
      const sent = api()[0]!;
      expect(sent.url).toBe(`${JOBS}?pretty=false&name=a+b`);
      expect(sent.headers.accept).toBe('application/vnd.atlas.2024-11-13+json');
      expect(sent.headers['content-type']).toBe('application/vnd.atlas.2024-11-13+json');
      expect(sent.headers['user-agent']).toBe('atlas-restore-orchestrator');
      expect(JSON.parse(sent.body)).toEqual({ deliveryType: 'download' });
      expect(events.at(-1)).toEqual({ type: 'response', operation: `POST ${JOBS}`, status: 200, attempt: 1, rateLimitRemaining: 97, rateLimitLimit: 100 });
    });

    it('sends no Content-Type without a body and reads 204 as undefined', async () => {
      const { client, api } = await serve((_seen, res) => {
        res.writeHead(204);
        res.end();
      });
      const res = await client.request({ method: 'DELETE', path: `${JOBS}/abc`, version: '2023-01-01' });
      expect(res.status).toBe(204);
      expect(res.body).toBeUndefined();
      expect(api()[0]!.headers['content-type']).toBeUndefined();
    });

    it('keeps a base URL path prefix (a proxy) in front of the API path', async () => {
      const { api } = await serve((_seen, res) => sendJson(res, 200, {}));
      await open.client!.close();
      open.client = createAtlasClient({ baseUrl: `${open.server!.url}/proxy/`, credentials: { type: 'digest', publicKey: PUBLIC_KEY, privateKey: PRIVATE_KEY } });
      await open.client.request({ method: 'GET', path: JOBS, version: '2023-01-01' });
      expect(api()[0]!.path).toBe(`/proxy${JOBS}`);
    });

    it('refuses paths outside the API and plain http to another host, before any request', async () => {
      const { client } = await serve(() => {});
      await expect(client.request({ method: 'GET', path: '/api/oauth/token', version: '2023-01-01' })).rejects.toBeInstanceOf(AtlasInvalidRequestError);
      expect(open.server!.seen).toHaveLength(0);
      expect(() => createAtlasClient({ baseUrl: 'http://cloud.mongodb.com', credentials: { type: 'digest', publicKey: 'a', privateKey: 'b' } })).toThrow(
        AtlasCredentialsInvalidError,
      );
    });

    it('survives an event sink that throws', async () => {
      const { client } = await serve((_seen, res) => sendJson(res, 200, { ok: 1 }), {
        onEvent: () => {
          throw new Error('metrics down');
        },
      });
      expect((await client.request({ method: 'GET', path: JOBS, version: '2023-01-01' })).body).toEqual({ ok: 1 });
    });
  });

  describe('error answers', () => {
    it.each([
      [400, AtlasInvalidRequestError, 'AtlasInvalidRequest'],
      [422, AtlasInvalidRequestError, 'AtlasInvalidRequest'],
      [401, AtlasAuthFailedError, 'AtlasAuthFailed'],
      [403, AtlasAuthFailedError, 'AtlasAuthFailed'],
      [404, AtlasNotFoundError, 'AtlasNotFound'],
      [405, AtlasConflictError, 'AtlasConflict'],
      [409, AtlasConflictError, 'AtlasConflict'],
      [410, AtlasInvalidRequestError, 'AtlasInvalidRequest'],
      [418, AtlasInvalidRequestError, 'AtlasInvalidRequest'],
      [429, AtlasThrottledError, 'AtlasThrottled'],
      [500, AtlasUnavailableError, 'AtlasUnavailable'],
    ] as const)('maps %i to %s', async (status, ErrorType, name) => {
      const { client, api } = await serve((_seen, res) => sendJson(res, status, atlasError(status, `CODE_${status}`, `detail ${status}`, { parameters: ['x'] })), {
        retry: { maxAttempts: 1 },
      });
      const error = (await rejectionOf(client.request({ method: 'GET', path: `${JOBS}/abc`, version: '2023-01-01', query: { envelope: false } }))) as AtlasApiError;
      expect(error).toBeInstanceOf(ErrorType);
      expect(error.name).toBe(name);
      expect(error).toMatchObject({ status, errorCode: `CODE_${status}`, detail: `detail ${status}`, parameters: ['x'], operation: `GET ${JOBS}/abc` });
      expect(error.message.startsWith(`Atlas GET ${JOBS}/abc answered ${status} CODE_${status}: detail ${status}`)).toBe(true);
      expect(error.message).not.toContain('envelope');
      expect(api()).toHaveLength(1);
    });

    it('writes the example message and lists bad fields', async () => {
      const { client } = await serve((_seen, res) =>
        sendJson(res, 400, atlasError(400, 'VALIDATION_ERROR', 'Invalid request.', { badRequestDetail: { fields: [{ field: 'targetClusterName', description: 'must match pattern' }] } })),
      );
      const error = await rejectionOf(client.request({ method: 'POST', path: JOBS, version: '2023-01-01', body: {} }));
      expect(error.message).toBe(`Atlas POST ${JOBS} answered 400 VALIDATION_ERROR: Invalid request. (fields: targetClusterName: must match pattern)`);
    });

    it('copes with a non-JSON error body', async () => {
      const { client } = await serve((_seen, res) => {
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<html>nope</html>');
      });
      const error = await rejectionOf(client.request({ method: 'GET', path: JOBS, version: '2023-01-01' }));
      expect(error).toBeInstanceOf(AtlasNotFoundError);
      expect(error.message).toBe(`Atlas GET ${JOBS} answered 404`);
    });

    it('redacts a key the server echoes back in any case or encoding, and the Digest header it was sent', async () => {
      let sent = '';
      const { client } = await serve((seen, res) => {
        sent = seen.headers.authorization ?? '';
        const echo = echoText([PUBLIC_KEY, PRIVATE_KEY], { authorization: sent });
        sendJson(res, 403, atlasError(403, 'IP_ADDRESS_NOT_ON_ACCESS_LIST', `Key not allowed: ${echo}`, { parameters: [PRIVATE_KEY.toUpperCase(), { header: sent }] }));
      });
      const error = (await rejectionOf(client.request({ method: 'GET', path: JOBS, version: '2023-01-01' }))) as AtlasApiError;
      expect(error).toBeInstanceOf(AtlasAuthFailedError);
      const { response, cnonce } = authParams(sent.slice(7));
      expectNothingLeaked(error, [PUBLIC_KEY, PRIVATE_KEY, sent, response!, cnonce!]);
    });
  });

  describe('listAll', () => {
    const items = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ n: from + i }));

    async function pages(pagesToServe: { results: unknown[]; totalCount?: number }[]) {
      return serve((seen, res) => {
        const page = pagesToServe[Number(seen.query.get('pageNum')) - 1] ?? { results: [] };
        sendJson(res, 200, page);
      });
    }

    it('walks pages until a short page, keeping the caller query', async () => {
      const { client, api } = await pages([{ results: items(1, 2), totalCount: 5 }, { results: items(3, 2), totalCount: 5 }, { results: items(5, 1), totalCount: 5 }]);
      const all = await client.listAll<{ n: number }>({ path: JOBS, version: '2023-01-01', query: { includeCount: true } }, { itemsPerPage: 2 });
      expect(all.map((i) => i.n)).toEqual([1, 2, 3, 4, 5]);
      expect(api().map((s) => s.url)).toEqual([1, 2, 3].map((p) => `${JOBS}?includeCount=true&pageNum=${p}&itemsPerPage=2`));
    });

    it('stops on a short page even when totalCount promises more', async () => {
      const { client, api } = await pages([{ results: items(1, 2), totalCount: 50 }, { results: items(3, 1), totalCount: 50 }]);
      expect(await client.listAll({ path: JOBS, version: '2023-01-01' }, { itemsPerPage: 2 })).toHaveLength(3);
      expect(api()).toHaveLength(2);
    });

    it('stops on an empty page and when totalCount is reached', async () => {
      const empty = await pages([{ results: items(1, 2), totalCount: 9 }, { results: [], totalCount: 9 }]);
      expect(await empty.client.listAll({ path: JOBS, version: '2023-01-01' }, { itemsPerPage: 2 })).toHaveLength(2);
      expect(empty.api()).toHaveLength(2);
      await open.client!.close();
      await open.server!.close();

      const counted = await pages([{ results: items(1, 2), totalCount: 4 }, { results: items(3, 2), totalCount: 4 }, { results: items(5, 2) }]);
      expect(await counted.client.listAll({ path: JOBS, version: '2023-01-01' }, { itemsPerPage: 2 })).toHaveLength(4);
      expect(counted.api()).toHaveLength(2);
    });

    it('honours maxItems', async () => {
      const { client, api } = await pages([{ results: items(1, 2) }, { results: items(3, 2) }, { results: items(5, 2) }]);
      const some = await client.listAll<{ n: number }>({ path: JOBS, version: '2023-01-01' }, { itemsPerPage: 2, maxItems: 3 });
      expect(some.map((i) => i.n)).toEqual([1, 2, 3]);
      expect(api()).toHaveLength(2);
    });

    it('defaults to 100 items per page', async () => {
      const { client, api } = await pages([{ results: items(1, 3), totalCount: 3 }]);
      await client.listAll({ path: JOBS, version: '2023-01-01' });
      expect(api()[0]!.query.get('itemsPerPage')).toBe('100');
    });

    it('refuses an answer that is not a page', async () => {
      const { client } = await serve((_seen, res) => sendJson(res, 200, { id: 'x' }));
      await expect(client.listAll({ path: JOBS, version: '2023-01-01' })).rejects.toBeInstanceOf(AtlasInvalidRequestError);
    });
  });
});
