import { createHash } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { AtlasApiError, AtlasAuthFailedError, AtlasThrottledError, AtlasUnavailableError } from '../domain/errors.js';
import { redact } from './credentials.js';
import { describeFailure, exchange, retryAfterSeconds, safeEmit, type EventSink, type WireTimeouts } from './wire.js';

/**
 * Service-account access tokens (OAuth 2.0 client credentials). The token endpoint allows about
 * ten requests a minute, so tokens live in a module-level cache that outlives one client and one
 * Lambda invocation, and concurrent callers share a single in-flight request.
 */

const TOKEN_PATH = '/api/oauth/token';
/** Refresh this long before Atlas says the token expires (clock skew, long requests). */
export const TOKEN_REFRESH_MARGIN_MS = 60_000;
/** Atlas documents one hour; used when an answer leaves `expires_in` out. */
const DEFAULT_TOKEN_LIFETIME_S = 3600;

interface CachedToken {
  token: string;
  /** Clock time (the client's `now`) after which the token is fetched again. */
  refreshAt: number;
}

const tokens = new Map<string, CachedToken>();
const inFlight = new Map<string, Promise<CachedToken>>();

/** Forget every cached token (tests; or after rotating a secret in a long-lived process). */
export function clearTokenCache(): void {
  tokens.clear();
  inFlight.clear();
}

export interface ServiceAccountOptions {
  /** Base URL, possibly with a path prefix (a proxy). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  dispatcher: Dispatcher;
  timeouts: WireTimeouts;
  userAgent: string;
  now: () => number;
  onEvent?: EventSink;
}

export class ServiceAccountTokens {
  private readonly key: string;

  constructor(private readonly options: ServiceAccountOptions) {
    // The secret's hash is part of the key so a rotated (or wrong) secret never reuses a token
    // obtained with another one; the secret itself is not kept in the key.
    const secretHash = createHash('sha256').update(options.clientSecret).digest('hex').slice(0, 16);
    this.key = `${options.baseUrl}\n${options.clientId}\n${secretHash}`;
  }

  /** A live token: cached, or fetched once for every concurrent caller. */
  async get(attempt = 1): Promise<string> {
    const cached = tokens.get(this.key);
    if (cached && this.options.now() < cached.refreshAt) return cached.token;
    let pending = inFlight.get(this.key);
    if (!pending) {
      pending = this.fetchToken(attempt).finally(() => inFlight.delete(this.key));
      inFlight.set(this.key, pending);
    }
    return (await pending).token;
  }

  /** Atlas refused `token`: drop it unless a concurrent caller already replaced it. */
  invalidate(token: string): void {
    if (tokens.get(this.key)?.token === token) tokens.delete(this.key);
  }

  private async fetchToken(attempt: number): Promise<CachedToken> {
    const { baseUrl, clientId, clientSecret, now } = this.options;
    const url = new URL(baseUrl);
    const target = `${url.pathname.replace(/\/+$/, '')}${TOKEN_PATH}`;
    const operation = `POST ${TOKEN_PATH}`;
    const clean = (text: string) => redact(text, { credentials: { type: 'oauth', clientId, clientSecret } });
    const result = await exchange(
      this.options.dispatcher,
      {
        origin: url.origin,
        target,
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          'user-agent': this.options.userAgent,
        },
        body: 'grant_type=client_credentials',
      },
      this.options.timeouts,
    );
    if (result.kind === 'failure') {
      // Asking for a token twice is harmless, so even an ambiguous failure is just "unavailable".
      throw new AtlasUnavailableError(`Atlas ${operation} failed: ${clean(describeFailure(result.error))}`, {
        operation,
        cause: result.error,
      });
    }
    safeEmit(this.options.onEvent, { type: 'token', operation, status: result.status, attempt });
    if (result.status >= 200 && result.status < 300) {
      const answer = parseTokenAnswer(result.text);
      if (!answer) throw new AtlasUnavailableError(`Atlas ${operation} answered ${result.status} without an access token`, { status: result.status, operation });
      const lifetimeMs = answer.expiresIn * 1000;
      // Short-lived tokens (tests, odd servers) still get half their life rather than none.
      const refreshAt = now() + Math.max(lifetimeMs - TOKEN_REFRESH_MARGIN_MS, lifetimeMs / 2);
      const entry = { token: answer.token, refreshAt };
      tokens.set(this.key, entry);
      return entry;
    }
    throw tokenError(operation, result.status, result.text, clean, retryAfterSeconds(result.headers, now()));
  }
}

function parseTokenAnswer(text: string): { token: string; expiresIn: number } | undefined {
  try {
    const body = JSON.parse(text) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || body.access_token === '') return undefined;
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_LIFETIME_S;
    return { token: body.access_token, expiresIn };
  } catch {
    return undefined;
  }
}

/** RFC 6749 §5.2 errors (`{error, error_description}`) as our typed errors. */
function tokenError(operation: string, status: number, text: string, clean: (t: string) => string, retryAfter?: number): AtlasApiError {
  let code = '';
  let description = '';
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    if (typeof body.error === 'string') code = ` ${body.error}`;
    if (typeof body.error_description === 'string') description = `: ${body.error_description}`;
  } catch {
    // not JSON: the status alone says enough
  }
  const message = clean(`Atlas ${operation} answered ${status}${code}${description}`);
  if (status === 429) {
    const error = new AtlasThrottledError(message, { status, operation });
    if (retryAfter !== undefined) error.retryAfterSeconds = retryAfter;
    return error;
  }
  if (status >= 500) return new AtlasUnavailableError(message, { status, operation });
  return new AtlasAuthFailedError(`${message} (check the service account's client id and secret)`, { status, operation });
}
