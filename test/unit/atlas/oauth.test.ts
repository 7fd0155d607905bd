import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAtlasClient, type AtlasClient, type AtlasClientOptions } from '../../../functions/core/atlas/client.js';
import { clearTokenCache, TOKEN_REFRESH_MARGIN_MS } from '../../../functions/core/atlas/oauth.js';
import { AtlasAuthFailedError } from '../../../functions/core/domain/errors.js';
import { echoText, expectNothingLeaked, fakeTime, rejectionOf, sendJson, startServer, type Seen, type TestServer } from './helpers.js';

const CLIENT_ID = 'mdb_sa_id_0123456789abcdef01234567';
const CLIENT_SECRET = 'mdb_sa_sk_s3cr3t-value-never-logged';
const PATH = '/api/atlas/v2/groups/0123456789abcdef01234567/clusters/prod/backup/restoreJobs';

/** A token endpoint plus an API that accepts only live tokens it issued. */
async function tokenWorld(options: { tokenDelayMs?: number; lifetimeS?: number; tokenStatus?: number } = {}) {
  const live = new Set<string>();
  const state = { refuseEveryToken: false };
  let issued = 0;
  const server = await startServer(async (seen, res) => {
    if (seen.path === '/api/oauth/token') {
      if (options.tokenDelayMs) await delay(options.tokenDelayMs);
      const expected = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
      // Like a careless server, the refusal echoes the id, the secret and the header it was sent.
      if (options.tokenStatus || seen.headers.authorization !== expected)
        return sendJson(res, options.tokenStatus ?? 401, {
          error: 'invalid_client',
          error_description: `Client authentication failed for ${echoText([CLIENT_ID, CLIENT_SECRET], { authorization: seen.headers.authorization })}`,
        });
      const token = `tok-${++issued}`;
      live.add(token);
      return sendJson(res, 200, { access_token: token, expires_in: options.lifetimeS ?? 3600, token_type: 'Bearer' });
    }
    const token = seen.headers.authorization?.replace(/^Bearer /, '');
    if (!token || !live.has(token) || state.refuseEveryToken)
      return sendJson(res, 401, {
        error: 401,
        errorCode: 'NOT_AUTHORIZED',
        detail: `Invalid token. ${echoText(token ? [token] : [], { authorization: seen.headers.authorization })}`,
        parameters: [token, { 'WWW-Authenticate': `Bearer realm="MMS Public API", error="invalid_token", token="${token}"` }],
      });
    return sendJson(res, 200, { results: [], totalCount: 0 });
  });
  const tokenRequests = () => server.seen.filter((s: Seen) => s.path === '/api/oauth/token');
  const apiRequests = () => server.seen.filter((s: Seen) => s.path !== '/api/oauth/token');
  return { server, live, state, tokenRequests, apiRequests };
}

describe('service-account tokens', () => {
  let server: TestServer | undefined;
  const clients: AtlasClient[] = [];

  beforeEach(() => clearTokenCache());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server?.close();
    server = undefined;
  });

  function client(url: string, extra: Partial<AtlasClientOptions> = {}) {
    const c = createAtlasClient({
      baseUrl: url,
      credentials: { type: 'oauth', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      sleep: async () => {},
      ...extra,
    });
    clients.push(c);
    return c;
  }
  const list = (c: AtlasClient) => c.request({ method: 'GET', path: PATH, version: '2023-01-01' });

  it('asks the token endpoint in the documented wire format, once for many calls and across clients', async () => {
    const world = await tokenWorld();
    server = world.server;
    const events: string[] = [];
    const first = client(server.url, { onEvent: (e) => events.push(`${e.type} ${e.operation} ${e.status}`) });
    for (let i = 0; i < 5; i++) await list(first);
    await list(client(server.url)); // a new client, as in the next Lambda invocation

    const tokens = world.tokenRequests();
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ method: 'POST', body: 'grant_type=client_credentials' });
    expect(tokens[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(tokens[0]!.headers.accept).toBe('application/json');
    expect(world.apiRequests().map((s) => s.headers.authorization)).toEqual(Array(6).fill('Bearer tok-1'));
    expect(events.filter((e) => e.startsWith('token'))).toEqual(['token POST /api/oauth/token 200']);
  });

  it('shares one token request among 20 concurrent calls', async () => {
    const world = await tokenWorld({ tokenDelayMs: 30 });
    server = world.server;
    const c = client(server.url);
    await Promise.all(Array.from({ length: 20 }, () => list(c)));
    expect(world.tokenRequests()).toHaveLength(1);
    expect(world.apiRequests()).toHaveLength(20);
  });

  it('fetches a new token shortly before the old one expires', async () => {
    const world = await tokenWorld();
    server = world.server;
    const time = fakeTime();
    const c = client(server.url, { now: time.now });
    await list(c);
    time.advance(3600_000 - TOKEN_REFRESH_MARGIN_MS - 1_000);
    await list(c);
    expect(world.tokenRequests()).toHaveLength(1);
    time.advance(2_000);
    await list(c);
    expect(world.tokenRequests()).toHaveLength(2);
    expect(world.apiRequests().at(-1)!.headers.authorization).toBe('Bearer tok-2');
  });

  it('drops a refused cached token, fetches once more and retries once', async () => {
    const world = await tokenWorld();
    server = world.server;
    const c = client(server.url);
    await list(c);
    world.live.clear(); // Atlas revoked it early
    await list(c);
    expect(world.tokenRequests()).toHaveLength(2);
    expect(world.apiRequests().map((s) => s.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
  });

  it('gives up with AtlasAuthFailedError when a freshly fetched token is refused too', async () => {
    const world = await tokenWorld();
    server = world.server;
    const c = client(server.url);
    await list(c);
    world.state.refuseEveryToken = true;
    const error = await rejectionOf(list(c));
    expect(error).toBeInstanceOf(AtlasAuthFailedError);
    expect((error as Error).message).toContain('answered 401 NOT_AUTHORIZED');
    // Both tokens were echoed back (the cached one and the fresh one), in every case and encoding.
    expectNothingLeaked(error, ['tok-1', 'tok-2', CLIENT_ID, CLIENT_SECRET]);
    expect(world.tokenRequests()).toHaveLength(2);
    expect(world.apiRequests()).toHaveLength(3);
  });

  it('maps a refused client secret to AtlasAuthFailedError without the secret or the client id', async () => {
    const world = await tokenWorld({ tokenStatus: 401 });
    server = world.server;
    const error = await rejectionOf(list(client(server.url)));
    expect(error).toBeInstanceOf(AtlasAuthFailedError);
    expect((error as Error).message).toContain('answered 401 invalid_client');
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
    expectNothingLeaked(error, [CLIENT_ID, CLIENT_SECRET, basic]);
    expect(world.apiRequests()).toHaveLength(0);
    expect(world.tokenRequests()).toHaveLength(1);
  });

  it('does not cache a failed token request', async () => {
    const world = await tokenWorld({ tokenStatus: 400 });
    server = world.server;
    const c = client(server.url);
    await expect(list(c)).rejects.toBeInstanceOf(AtlasAuthFailedError);
    await expect(list(c)).rejects.toBeInstanceOf(AtlasAuthFailedError);
    expect(world.tokenRequests()).toHaveLength(2);
  });
});
