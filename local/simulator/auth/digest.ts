import { createHash, randomBytes } from 'node:crypto';

/**
 * HTTP Digest as Atlas does it (RFC 7616): realm "MMS Public API", qop "auth", MD5 (SHA-256 on
 * request). Nonces age on the wall clock (the Authenticator hands in `wallNow`, not the simulated
 * clock: a scaled or manual clock would otherwise expire them in moments or never), as Atlas's age in
 * real time; an expired or unknown nonce with otherwise good credentials gets `stale=true`, so a
 * client re-answers the new challenge without asking for keys again.
 */

const REALM = 'MMS Public API';
export type DigestAlgorithm = 'MD5' | 'SHA-256';

export interface DigestParams {
  username?: string;
  realm?: string;
  nonce?: string;
  uri?: string;
  response?: string;
  algorithm?: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
}

export function parseDigestHeader(header: string): DigestParams {
  const params: Record<string, string> = {};
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const m of header.matchAll(re)) {
    const key = (m[1] as string).toLowerCase();
    params[key] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return params;
}

const HASHES: Record<string, string> = { md5: 'md5', 'md5-sess': 'md5', 'sha-256': 'sha256', 'sha-256-sess': 'sha256' };

function digestHash(algorithm: string, value: string): string {
  return createHash(HASHES[algorithm.toLowerCase()] ?? 'md5').update(value).digest('hex');
}

/** The `response` a client must send; exported so tests and tools compute it the same way. */
function expectedResponse(p: Required<Pick<DigestParams, 'username' | 'nonce' | 'uri'>> & DigestParams, password: string, method: string): string {
  const algorithm = (p.algorithm ?? 'MD5').toLowerCase();
  const h = (v: string) => digestHash(algorithm, v);
  let ha1 = h(`${p.username}:${p.realm ?? REALM}:${password}`);
  if (algorithm.endsWith('-sess')) ha1 = h(`${ha1}:${p.nonce}:${p.cnonce ?? ''}`);
  const ha2 = h(`${method}:${p.uri}`);
  return p.qop ? h(`${ha1}:${p.nonce}:${p.nc ?? ''}:${p.cnonce ?? ''}:${p.qop}:${ha2}`) : h(`${ha1}:${p.nonce}:${ha2}`);
}

export type DigestResult = { ok: true; username: string } | { ok: false; stale: boolean; reason: string };

export class DigestAuthority {
  private nonces = new Map<string, { issuedAt: number; seen: Set<string> }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
    private readonly algorithms: readonly DigestAlgorithm[],
  ) {}

  /** One `WWW-Authenticate` value per offered algorithm, in Atlas's exact shape. */
  challenge(stale = false): string[] {
    const nonce = randomBytes(24).toString('base64url');
    this.nonces.set(nonce, { issuedAt: this.now(), seen: new Set() });
    if (this.nonces.size > 10_000) this.forgetExpired();
    return this.algorithms.map(
      (algorithm) => `Digest realm="${REALM}", domain="", nonce="${nonce}", algorithm=${algorithm}, qop="auth", stale=${stale}`,
    );
  }

  verify(p: DigestParams, method: string, requestTarget: string, secretOf: (user: string) => string | undefined): DigestResult {
    if (!p.username || !p.nonce || !p.uri || !p.response) return { ok: false, stale: false, reason: 'incomplete Digest credentials' };
    if ((p.realm ?? REALM) !== REALM) return { ok: false, stale: false, reason: 'wrong realm' };
    const algorithm = (p.algorithm ?? 'MD5').toUpperCase();
    if (!['MD5', 'MD5-SESS', 'SHA-256', 'SHA-256-SESS'].includes(algorithm))
      return { ok: false, stale: false, reason: `unsupported algorithm ${p.algorithm}` };
    if (p.qop !== undefined && p.qop !== 'auth') return { ok: false, stale: false, reason: `unsupported qop ${p.qop}` };
    if (p.qop && (!p.nc || !p.cnonce)) return { ok: false, stale: false, reason: 'qop=auth needs nc and cnonce' };
    // The uri must name this request (some clients leave the query out).
    const path = requestTarget.split('?')[0];
    if (p.uri !== requestTarget && p.uri !== path) return { ok: false, stale: false, reason: 'uri does not match the request' };
    const secret = secretOf(p.username);
    if (secret === undefined) return { ok: false, stale: false, reason: 'unknown public key' };
    const expected = expectedResponse({ ...p, username: p.username, nonce: p.nonce, uri: p.uri }, secret, method);
    if (expected !== p.response.toLowerCase()) return { ok: false, stale: false, reason: 'wrong response (bad private key?)' };
    const issued = this.nonces.get(p.nonce);
    if (!issued || this.now() - issued.issuedAt > this.ttlMs) return { ok: false, stale: true, reason: 'nonce expired' };
    const count = p.nc ?? '';
    if (issued.seen.has(count)) return { ok: false, stale: true, reason: 'nonce count replayed' };
    issued.seen.add(count);
    return { ok: true, username: p.username };
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [nonce, { issuedAt }] of this.nonces) if (now - issuedAt > this.ttlMs) this.nonces.delete(nonce);
  }
}
