import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAtlasClient, type AtlasClient } from '../../../functions/core/atlas/client.js';
import {
  chooseChallenge,
  digestAuthorization,
  digestResponse,
  DigestSession,
  formatNonceCount,
  parseDigestChallenges,
} from '../../../functions/core/atlas/digest.js';
import { AtlasAuthFailedError } from '../../../functions/core/domain/errors.js';
import { authParams, closedAfterEach, rejectionOf, sendJson, startServer, TestDigestServer } from './helpers.js';

// RFC 7616 §3.9.1. Note the RFC's nonce ends "…URRv/xwf94BcCAzFZH4GiTo0v"; the published
// responses are computed with that nonce.
const RFC = {
  username: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  uri: '/dir/index.html',
  method: 'GET',
};
const RFC_MD5 = '8ca523f5e9506fed4657c9700eebdbec';
const RFC_SHA256 = '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1';

describe('Digest computation (RFC 7616 §3.9.1)', () => {
  it.each([
    ['MD5', RFC_MD5],
    ['SHA-256', RFC_SHA256],
  ] as const)('computes the %s worked example', (algorithm, expected) => {
    expect(digestResponse({ ...RFC, algorithm, qop: 'auth', nc: '00000001' })).toBe(expected);
  });

  it.each([
    ['MD5', RFC_MD5],
    ['SHA-256', RFC_SHA256],
  ] as const)('answers the RFC %s challenge with the RFC Authorization header', (algorithm, expected) => {
    const [challenge] = parseDigestChallenges(
      `Digest realm="${RFC.realm}", qop="auth, auth-int", algorithm=${algorithm}, nonce="${RFC.nonce}", opaque="${RFC.opaque}"`,
    );
    expect(challenge).toMatchObject({ realm: RFC.realm, nonce: RFC.nonce, algorithm, qop: ['auth', 'auth-int'], opaque: RFC.opaque, stale: false });
    const header = digestAuthorization(challenge!, { ...RFC, nc: 1 });
    expect(header.startsWith('Digest ')).toBe(true);
    expect(authParams(header)).toMatchObject({
      username: 'Mufasa',
      realm: RFC.realm,
      uri: RFC.uri,
      algorithm,
      nonce: RFC.nonce,
      nc: '00000001',
      cnonce: RFC.cnonce,
      qop: 'auth',
      response: expected,
      opaque: RFC.opaque,
    });
  });

  it('folds nonce and cnonce into HA1 for -sess algorithms', () => {
    const md5 = (v: string) => createHash('md5').update(v).digest('hex');
    const ha1 = md5(`${md5('u:r:p')}:N:C`);
    const expected = md5(`${ha1}:N:00000002:C:auth:${md5('POST:/x')}`);
    expect(digestResponse({ algorithm: 'MD5-sess', username: 'u', password: 'p', realm: 'r', nonce: 'N', cnonce: 'C', nc: '00000002', qop: 'auth', method: 'POST', uri: '/x' })).toBe(expected);
  });

  it('writes the nonce count as 8 hex digits', () => {
    expect(formatNonceCount(1)).toBe('00000001');
    expect(formatNonceCount(255)).toBe('000000ff');
  });
});

describe('Digest challenge parsing', () => {
  it('reads one challenge per header and several challenges in one header', () => {
    const challenges = parseDigestChallenges([
      'Digest realm="MMS Public API", domain="", nonce="n1", algorithm=MD5, qop="auth", stale=false',
      'Bearer realm="MMS Public API", error="invalid_token", Digest realm="MMS Public API", nonce="n2", algorithm=SHA-256, qop="auth", stale=true',
    ]);
    expect(challenges.map((c) => [c.nonce, c.algorithm, c.stale])).toEqual([
      ['n1', 'MD5', false],
      ['n2', 'SHA-256', true],
    ]);
  });

  it('prefers SHA-256, skips unknown algorithms and refuses auth-int-only challenges', () => {
    const both = parseDigestChallenges(['Digest realm="r", nonce="a", algorithm=MD5, qop="auth"', 'Digest realm="r", nonce="b", algorithm=SHA-256, qop="auth"']);
    expect(chooseChallenge(both)?.algorithm).toBe('SHA-256');
    expect(parseDigestChallenges('Digest realm="r", nonce="a", algorithm=SHA-512-256, qop="auth"')).toEqual([]);
    expect(chooseChallenge(parseDigestChallenges('Digest realm="r", nonce="a", qop="auth-int"'))).toBeUndefined();
  });

  it('unescapes quoted values', () => {
    const [c] = parseDigestChallenges('Digest realm="a \\"quoted\\" realm", nonce="x,y"');
    expect(c).toMatchObject({ realm: 'a "quoted" realm', nonce: 'x,y', algorithm: 'MD5', qop: [] });
  });

  it('counts requests per nonce and restarts the count on a new challenge', () => {
    const session = new DigestSession('u', 'p', () => 'cn');
    expect(session.authorize('GET', '/a')).toBeUndefined();
    const [c1] = parseDigestChallenges('Digest realm="r", nonce="one", qop="auth"');
    session.accept(c1!);
    expect(authParams(session.authorize('GET', '/a')!).nc).toBe('00000001');
    expect(authParams(session.authorize('GET', '/b')!).nc).toBe('00000002');
    const [c2] = parseDigestChallenges('Digest realm="r", nonce="two", qop="auth"');
    session.accept(c2!);
    expect(authParams(session.authorize('GET', '/a')!)).toMatchObject({ nc: '00000001', nonce: 'two' });
  });
});

describe('Digest against a real server', () => {
  const PUBLIC = 'pubkeyabcd';
  const PRIVATE = 'b7c1f2aa-0d6e-4c1a-9f3e-5a1e2c7d9b10';
  const open = closedAfterEach();

  async function setup(algorithms: ('MD5' | 'SHA-256')[] = ['MD5'], privateKey = PRIVATE) {
    const digest = new TestDigestServer({ [PUBLIC]: PRIVATE }, algorithms);
    open.server = await startServer((seen, res) => {
      if (!digest.check(seen, res)) return;
      sendJson(res, 200, { ok: true, method: seen.method, body: seen.body });
    });
    const events: string[] = [];
    open.client = createAtlasClient({
      baseUrl: open.server.url,
      credentials: { type: 'digest', publicKey: PUBLIC, privateKey },
      onEvent: (e) => events.push(`${e.type}:${e.status ?? ''}`),
      sleep: async () => {},
    });
    return { digest, server: open.server, client: open.client, events };
  }

  const get = (c: AtlasClient, path = '/api/atlas/v2/groups/0123456789abcdef01234567/clusters') =>
    c.request<{ ok: boolean }>({ method: 'GET', path, version: '2023-01-01', query: { pageNum: 1 } });

  it('pays one 401 on first contact and then reuses the nonce with an incrementing count', async () => {
    const { digest, server, client, events } = await setup();
    for (let i = 0; i < 4; i++) expect((await get(client)).body.ok).toBe(true);
    expect(digest.challenges).toBe(1);
    expect(server.seen).toHaveLength(5);
    expect(digest.ncSeen).toEqual(['00000001', '00000002', '00000003', '00000004']);
    expect(events.filter((e) => e.startsWith('auth-challenge'))).toHaveLength(1);
  });

  it('answers with SHA-256 when the server offers it next to MD5', async () => {
    const { server, client } = await setup(['MD5', 'SHA-256']);
    await get(client);
    expect(authParams(server.seen[1]!.headers.authorization!).algorithm).toBe('SHA-256');
  });

  it('re-answers a stale=true challenge without treating it as a failure', async () => {
    const { digest, server, client } = await setup();
    await get(client);
    digest.expireNonces();
    expect((await get(client)).body.ok).toBe(true);
    expect(digest.challenges).toBe(2);
    expect(server.seen.map((s) => Boolean(s.headers.authorization))).toEqual([false, true, true, true]);
    // The nonce after the stale challenge is reused too.
    await get(client);
    expect(digest.challenges).toBe(2);
  });

  it('answers once more when a reused nonce is refused without stale (server forgot it)', async () => {
    const { digest, client } = await setup();
    await get(client);
    digest.forgetNonces();
    expect((await get(client)).body.ok).toBe(true);
    expect(digest.challenges).toBe(2);
  });

  it('re-sends a POST body after the first challenge', async () => {
    const { server, client } = await setup();
    const res = await client.request<{ body: string }>({ method: 'POST', path: '/api/atlas/v2/x', version: '2023-01-01', body: { a: 1 } });
    expect(JSON.parse(res.body.body)).toEqual({ a: 1 });
    expect(server.seen.map((s) => [s.method, s.body])).toEqual([
      ['POST', '{"a":1}'],
      ['POST', '{"a":1}'],
    ]);
  });

  it('refuses a wrong private key with AtlasAuthFailedError that names no key', async () => {
    const wrong = 'wrong-private-key-123456';
    const { server, client } = await setup(['MD5'], wrong);
    const error = await rejectionOf(get(client));
    expect(error).toBeInstanceOf(AtlasAuthFailedError);
    expect((error as Error).name).toBe('AtlasAuthFailed');
    expect((error as AtlasAuthFailedError).status).toBe(401);
    const message = (error as Error).message;
    expect(message).toContain('answered 401');
    expect(message).not.toContain(wrong);
    expect(message).not.toContain(PUBLIC);
    expect(message).not.toContain('pageNum');
    expect(server.seen).toHaveLength(2);
  });
});
