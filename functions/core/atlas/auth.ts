import { DigestSession, chooseChallenge, parseDigestChallenges } from './digest.js';
import { ServiceAccountTokens, type ServiceAccountOptions } from './oauth.js';
import { safeEmit, type EventSink, type HeaderValues } from './wire.js';

/**
 * How a request gets its `Authorization` header, and what to do when Atlas answers 401. The
 * client asks `authorize` before each send and `retryAfter401` after a 401; a `false` from the
 * latter makes the 401 an AtlasAuthFailedError.
 */

export interface UnauthorizedContext {
  operation: string;
  attempt: number;
  headers: HeaderValues;
  /** The Authorization header the refused request carried, if any. */
  sent: string | undefined;
  /** True once this logical call has already answered a brand-new challenge or fetched a new token. */
  renewed: boolean;
}

export interface AuthStrategy {
  authorize(method: string, uri: string, attempt: number): Promise<string | undefined>;
  retryAfter401(context: UnauthorizedContext): boolean;
  /** Live secret values beyond the configured ones (a bearer token), for redaction. */
  liveSecrets(): string[];
}

/** API keys: Digest with the last challenge reused up front. */
export class DigestAuth implements AuthStrategy {
  private readonly session: DigestSession;
  /** The per-request parts of the headers sent lately (response, cnonce): a server may echo them alone. */
  private readonly sentParts: string[] = [];

  constructor(
    publicKey: string,
    privateKey: string,
    private readonly onEvent?: EventSink,
    newCnonce?: () => string,
  ) {
    this.session = new DigestSession(publicKey, privateKey, newCnonce);
  }

  async authorize(method: string, uri: string): Promise<string | undefined> {
    const header = this.session.authorize(method, uri);
    if (header !== undefined) this.rememberSent(header);
    return header;
  }

  private rememberSent(header: string): void {
    for (const m of header.matchAll(/\b(?:response|cnonce)="([^"]+)"/g)) this.sentParts.push(m[1] as string);
    this.sentParts.splice(0, Math.max(0, this.sentParts.length - 16));
  }

  retryAfter401({ operation, attempt, headers, sent, renewed }: UnauthorizedContext): boolean {
    const challenge = chooseChallenge(parseDigestChallenges(headers['www-authenticate']));
    if (!challenge) return false;
    // Answer again when: we sent nothing yet (first contact), the nonce went stale (right keys,
    // old nonce), or the refused answer reused a nonce from an earlier call (the server may have
    // forgotten it without saying stale). A fresh, non-stale challenge refused means wrong keys.
    const retry = sent === undefined || challenge.stale || !renewed;
    if (!retry) return false;
    this.session.accept(challenge);
    safeEmit(this.onEvent, { type: 'auth-challenge', operation, status: 401, attempt });
    return true;
  }

  liveSecrets(): string[] {
    return [...this.sentParts];
  }
}

/** Service accounts: a cached bearer token, refetched once when Atlas refuses it. */
export class ServiceAccountAuth implements AuthStrategy {
  private readonly tokens: ServiceAccountTokens;
  private lastToken: string | undefined;

  constructor(options: ServiceAccountOptions) {
    this.tokens = new ServiceAccountTokens(options);
  }

  async authorize(_method: string, _uri: string, attempt: number): Promise<string> {
    this.lastToken = await this.tokens.get(attempt);
    return `Bearer ${this.lastToken}`;
  }

  retryAfter401({ sent, renewed }: UnauthorizedContext): boolean {
    // One refetch per call: a token revoked or expired early is replaced, a refused new one is final.
    if (renewed || sent === undefined || !/^Bearer /i.test(sent)) return false;
    this.tokens.invalidate(sent.slice(7).trim());
    return true;
  }

  liveSecrets(): string[] {
    return this.lastToken ? [this.lastToken] : [];
  }
}

