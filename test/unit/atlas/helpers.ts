import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect } from 'vitest';
import type { AtlasClient } from '../../../functions/core/atlas/client.js';

/** What a test server received, one entry per request. */
export interface Seen {
  method: string;
  /** Request target as sent (path and query). */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (seen: Seen, res: http.ServerResponse, req: http.IncomingMessage) => void | Promise<void>;

export interface TestServer {
  url: string;
  port: number;
  seen: Seen[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1:0 that records every request before handing it to `handler`. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      const parsed = new URL(url, 'http://local');
      const entry: Seen = {
        method: req.method ?? '',
        url,
        path: parsed.pathname,
        query: parsed.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(entry);
      Promise.resolve(handler(entry, res, req)).catch((error: unknown) => {
        res.statusCode = 599;
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The test server and client a test opened, closed after each test of the calling describe (so a
 * failing test cannot leave a port or a keep-alive socket behind for the next one).
 */
export function closedAfterEach(): { server?: TestServer; client?: AtlasClient } {
  const open: { server?: TestServer; client?: AtlasClient } = {};
  afterEach(async () => {
    await open.client?.close();
    await open.server?.close();
    delete open.client;
    delete open.server;
  });
  return open;
}

export function sendJson(res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

export function atlasError(status: number, errorCode: string, detail: string, extra: Record<string, unknown> = {}) {
  return { error: status, errorCode, reason: http.STATUS_CODES[status] ?? 'Error', detail, ...extra };
}

/** A sleep that records the waits and advances an injected clock instead of waiting. */
export function fakeTime(start = 1_000_000) {
  let now = start;
  const delays: number[] = [];
  return {
    delays,
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleep: async (ms: number) => {
      delays.push(ms);
      now += ms;
    },
  };
}

export function authParams(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) out[m[1] as string] = m[2] ?? m[3] ?? '';
  return out;
}

/**
 * A Digest verifier written independently of the client (straight from RFC 7616 §3.4.1), so the
 * client is checked against the RFC rather than against itself. Counts the challenges it issues.
 */
export class TestDigestServer {
  challenges = 0;
  private nonces = new Map<string, { lastNc: number; stale: boolean }>();
  readonly ncSeen: string[] = [];

  constructor(
    private readonly users: Record<string, string>,
    private readonly algorithms: readonly ('MD5' | 'SHA-256')[] = ['MD5'],
    readonly realm = 'MMS Public API',
  ) {}

  challenge(res: http.ServerResponse, stale = false): void {
    this.challenges++;
    const nonce = randomBytes(12).toString('base64');
    this.nonces.set(nonce, { lastNc: 0, stale: false });
    sendJson(res, 401, { error: 401, errorCode: 'UNAUTHORIZED', reason: 'Unauthorized', detail: 'You are not authorized for this resource.' }, {
      'www-authenticate': this.algorithms.map(
        (a) => `Digest realm="${this.realm}", domain="", nonce="${nonce}", algorithm=${a}, qop="auth", stale=${stale}`,
      ),
    });
  }

  /** Every nonce issued so far now answers stale=true (the credentials are still fine). */
  expireNonces(): void {
    for (const entry of this.nonces.values()) entry.stale = true;
  }

  /** Forget the nonces entirely (a restarted server), which answers a non-stale challenge. */
  forgetNonces(): void {
    this.nonces.clear();
  }

  /** True if the request may proceed; otherwise the 401 has been sent. */
  check(seen: Seen, res: http.ServerResponse): boolean {
    const header = seen.headers.authorization;
    if (!header?.startsWith('Digest ')) {
      this.challenge(res);
      return false;
    }
    const p = authParams(header.slice(7));
    const password = this.users[p.username ?? ''];
    const algorithm = p.algorithm ?? 'MD5';
    const h = (v: string) => createHash(algorithm === 'SHA-256' ? 'sha256' : 'md5').update(v).digest('hex');
    const expected =
      password === undefined
        ? undefined
        : h(`${h(`${p.username}:${p.realm}:${password}`)}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${h(`${seen.method}:${p.uri}`)}`);
    if (expected === undefined || expected !== p.response || p.uri !== seen.url || p.realm !== this.realm || p.qop !== 'auth') {
      this.challenge(res);
      return false;
    }
    const nonce = this.nonces.get(p.nonce ?? '');
    if (!nonce) {
      this.challenge(res);
      return false;
    }
    const nc = Number.parseInt(p.nc ?? '', 16);
    if (nonce.stale || !(nc > nonce.lastNc) || !/^[0-9a-f]{8}$/.test(p.nc ?? '')) {
      this.challenge(res, true);
      return false;
    }
    nonce.lastNc = nc;
    this.ncSeen.push(p.nc as string);
    return true;
  }
}

/**
 * A handler that asks for Digest once and then accepts any Digest header (the Digest maths has its
 * own tests), passing the request on to `answer`.
 */
export function acceptAnyDigest(answer: Handler): Handler {
  return (seen, res, req) => {
    if (!seen.headers.authorization?.startsWith('Digest '))
      return sendJson(res, 401, atlasError(401, 'UNAUTHORIZED', 'You are not authorized for this resource.'), {
        'www-authenticate': 'Digest realm="MMS Public API", nonce="abc", algorithm=MD5, qop="auth", stale=false',
      });
    return answer(seen, res, req);
  };
}

/** The error a call fails with (and a test failure if it succeeds). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/**
 * The shapes a careless server or proxy may echo a credential in, written here independently of
 * the client's redaction: other letter cases, percent-encoded (partly, fully, as a form), and
 * base64 / base64url (of the value and of its upper-case form).
 */
export function echoVariants(value: string): string[] {
  const swapped = [...value].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join('');
  const everyByte = [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  const variants = [
    value,
    value.toUpperCase(),
    value.toLowerCase(),
    swapped,
    encodeURIComponent(value),
    encodeURIComponent(value).replace(/%20/g, '+'),
    everyByte,
    everyByte.toUpperCase(),
    Buffer.from(value).toString('base64'),
    Buffer.from(value).toString('base64url'),
    Buffer.from(value.toUpperCase()).toString('base64'),
    Buffer.from(swapped).toString('base64'),
  ];
  return [...new Set(variants)];
}

/** A text echoing every variant of `values`, and the headers a request carried, the way a careless server might. */
export function echoText(values: readonly string[], headers: Record<string, string | undefined> = {}): string {
  const parts = values.flatMap(echoVariants);
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) parts.push(`${name}: ${value}`);
  return parts.join(' | ');
}

/**
 * Fails when any variant of any of `values` survives in what an error reports: its message and
 * every enumerable field, as JSON.stringify (what a log or a workflow payload holds) shows them.
 * Also checks that something was redacted, so a server that echoed nothing cannot pass for clean.
 */
export function expectNothingLeaked(error: unknown, values: readonly string[]): void {
  const fields = Object.fromEntries(Object.entries(error as object));
  const seen = [String((error as Error).message), JSON.stringify(error), JSON.stringify(fields)].join('\n');
  for (const value of values) for (const variant of echoVariants(value)) expect(seen, `a variant of a credential: ${variant}`).not.toContain(variant);
  expect(seen).toContain('[redacted]');
}
