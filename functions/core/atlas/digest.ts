import { createHash, randomBytes } from 'node:crypto';

/**
 * HTTP Digest authentication (RFC 7616) as Atlas API keys use it: user name = public key,
 * password = private key, `qop=auth`. The pure functions below are what the RFC's worked examples
 * test; `DigestSession` keeps the last challenge so later requests answer it up front (one 401 per
 * nonce lifetime instead of one per request).
 */

type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  /** The qop options offered (`auth`, `auth-int`); empty for an RFC 2069 server. */
  qop: string[];
  opaque?: string;
  /** The nonce expired but the credentials were right: answer again without counting a failure. */
  stale: boolean;
}

interface RawChallenge {
  scheme: string;
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

/**
 * Splits `WWW-Authenticate` values into challenges. One header may carry several challenges
 * (`Bearer …, Digest …`) and a server may send several headers (Atlas sends one per algorithm).
 */
function parseChallenges(header: string | readonly string[] | undefined): RawChallenge[] {
  const values = header === undefined ? [] : typeof header === 'string' ? [header] : header;
  const challenges: RawChallenge[] = [];
  for (const value of values) {
    let current: RawChallenge | undefined;
    let i = 0;
    const readToken = () => {
      const start = i;
      while (i < value.length && TOKEN.test(value.charAt(i))) i++;
      return value.slice(start, i);
    };
    const skip = (chars: RegExp) => {
      while (i < value.length && chars.test(value.charAt(i))) i++;
    };
    while (i < value.length) {
      skip(/[\s,]/);
      const token = readToken();
      if (token === '') {
        i++; // a stray character: step over it rather than loop forever
        continue;
      }
      skip(/[ \t]/);
      if (value.charAt(i) !== '=') {
        current = { scheme: token.toLowerCase(), params: {} };
        challenges.push(current);
        continue;
      }
      i++;
      skip(/[ \t]/);
      let paramValue = '';
      if (value.charAt(i) === '"') {
        i++;
        while (i < value.length && value.charAt(i) !== '"') {
          if (value.charAt(i) === '\\') i++;
          paramValue += value.charAt(i);
          i++;
        }
        i++;
      } else {
        const start = i;
        while (i < value.length && value.charAt(i) !== ',') i++;
        paramValue = value.slice(start, i).trim();
      }
      if (current) current.params[token.toLowerCase()] = paramValue;
    }
  }
  return challenges;
}

const ALGORITHMS: Record<string, DigestAlgorithm> = {
  md5: 'MD5',
  'md5-sess': 'MD5-sess',
  'sha-256': 'SHA-256',
  'sha-256-sess': 'SHA-256-sess',
};

/** The Digest challenges we can answer, from all `WWW-Authenticate` values of one response. */
export function parseDigestChallenges(header: string | readonly string[] | undefined): DigestChallenge[] {
  const out: DigestChallenge[] = [];
  for (const { scheme, params } of parseChallenges(header)) {
    if (scheme !== 'digest' || params.nonce === undefined) continue;
    const algorithm = ALGORITHMS[(params.algorithm ?? 'MD5').toLowerCase()];
    if (!algorithm) continue; // e.g. SHA-512-256: skip, another header may offer one we know
    const challenge: DigestChallenge = {
      realm: params.realm ?? '',
      nonce: params.nonce,
      algorithm,
      qop: (params.qop ?? '').split(',').map((q) => q.trim().toLowerCase()).filter((q) => q !== ''),
      stale: (params.stale ?? '').toLowerCase() === 'true',
    };
    if (params.opaque !== undefined) challenge.opaque = params.opaque;
    out.push(challenge);
  }
  return out;
}

const PREFERENCE: readonly DigestAlgorithm[] = ['SHA-256', 'SHA-256-sess', 'MD5', 'MD5-sess'];

/** The strongest answerable challenge: SHA-256 before MD5, and only `qop=auth` (or none). */
export function chooseChallenge(challenges: readonly DigestChallenge[]): DigestChallenge | undefined {
  const usable = challenges.filter((c) => c.qop.length === 0 || c.qop.includes('auth'));
  return [...usable].sort((a, b) => PREFERENCE.indexOf(a.algorithm) - PREFERENCE.indexOf(b.algorithm))[0];
}

function hash(algorithm: DigestAlgorithm, value: string): string {
  return createHash(algorithm.startsWith('SHA-256') ? 'sha256' : 'md5').update(value, 'utf8').digest('hex');
}

export interface DigestResponseInput {
  algorithm: DigestAlgorithm;
  username: string;
  password: string;
  realm: string;
  nonce: string;
  method: string;
  uri: string;
  /** Omit qop, nc and cnonce only for an RFC 2069 server that offered no qop. */
  qop?: 'auth';
  nc?: string;
  cnonce?: string;
}

/** RFC 7616 §3.4.1: the `response` value. */
export function digestResponse(input: DigestResponseInput): string {
  const h = (value: string) => hash(input.algorithm, value);
  let ha1 = h(`${input.username}:${input.realm}:${input.password}`);
  if (input.algorithm.endsWith('-sess')) ha1 = h(`${ha1}:${input.nonce}:${input.cnonce ?? ''}`);
  const ha2 = h(`${input.method}:${input.uri}`);
  if (input.qop === undefined) return h(`${ha1}:${input.nonce}:${ha2}`);
  return h(`${ha1}:${input.nonce}:${input.nc ?? ''}:${input.cnonce ?? ''}:${input.qop}:${ha2}`);
}

/** The nonce count as RFC 7616 writes it: 8 lower-case hex digits. */
export function formatNonceCount(count: number): string {
  return count.toString(16).padStart(8, '0');
}

function quote(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/** The `Authorization` header answering `challenge` for one request. */
export function digestAuthorization(
  challenge: DigestChallenge,
  request: { method: string; uri: string; username: string; password: string; nc: number; cnonce: string },
): string {
  const withQop = challenge.qop.includes('auth');
  const nc = formatNonceCount(request.nc);
  const response = digestResponse({
    algorithm: challenge.algorithm,
    username: request.username,
    password: request.password,
    realm: challenge.realm,
    nonce: challenge.nonce,
    method: request.method,
    uri: request.uri,
    ...(withQop && { qop: 'auth' as const, nc, cnonce: request.cnonce }),
  });
  const parts = [
    `username=${quote(request.username)}`,
    `realm=${quote(challenge.realm)}`,
    `nonce=${quote(challenge.nonce)}`,
    `uri=${quote(request.uri)}`,
    `algorithm=${challenge.algorithm}`,
    `response=${quote(response)}`,
  ];
  if (withQop) parts.push('qop=auth', `nc=${nc}`, `cnonce=${quote(request.cnonce)}`);
  if (challenge.opaque !== undefined) parts.push(`opaque=${quote(challenge.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}

/**
 * One API key's Digest state for one client: the last challenge and its nonce count. Answering the
 * stored challenge up front means only the first request (and one per expired nonce) pays a 401.
 */
export class DigestSession {
  private challenge: DigestChallenge | undefined;
  private nonceCount = 0;

  constructor(
    private readonly username: string,
    private readonly password: string,
    private readonly newCnonce: () => string = () => randomBytes(16).toString('hex'),
  ) {}

  get hasChallenge(): boolean {
    return this.challenge !== undefined;
  }

  /** Remember a new challenge; its nonce starts counting from 1. */
  accept(challenge: DigestChallenge): void {
    this.challenge = challenge;
    this.nonceCount = 0;
  }

  /** `Authorization` for the next request, or undefined before the first challenge. */
  authorize(method: string, uri: string): string | undefined {
    if (!this.challenge) return undefined;
    this.nonceCount += 1;
    return digestAuthorization(this.challenge, {
      method,
      uri,
      username: this.username,
      password: this.password,
      nc: this.nonceCount,
      cnonce: this.newCnonce(),
    });
  }
}
