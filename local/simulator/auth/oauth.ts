import { randomBytes } from 'node:crypto';

/**
 * OAuth 2.0 client credentials for service accounts: `POST /api/oauth/token` with
 * `Authorization: Basic base64(clientId:secret)` and `grant_type=client_credentials` answers
 * `{access_token, expires_in, token_type: "Bearer"}`. Tokens expire on the simulator's clock and
 * cannot be refreshed (a client asks for a new one).
 */

export interface TokenAnswer {
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
}

export class TokenAuthority {
  private tokens = new Map<string, { clientId: string; expiresAt: number }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlSeconds: number,
  ) {}

  issue(clientId: string): TokenAnswer {
    const token = `sim_at_${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { clientId, expiresAt: this.now() + this.ttlSeconds * 1000 });
    return { access_token: token, expires_in: this.ttlSeconds, token_type: 'Bearer' };
  }

  /** Forgets every token of a client (its secret was rotated). */
  revokeAll(clientId: string): void {
    for (const [token, entry] of this.tokens) if (entry.clientId === clientId) this.tokens.delete(token);
  }

  /** The client id behind a live token, or why there is none. */
  verify(token: string): { ok: true; clientId: string } | { ok: false; reason: string } {
    const found = this.tokens.get(token);
    if (!found) return { ok: false, reason: 'unknown access token' };
    if (this.now() >= found.expiresAt) return { ok: false, reason: 'access token expired' };
    return { ok: true, clientId: found.clientId };
  }
}

/** `Basic base64(id:secret)` → [id, secret], or undefined. */
export function parseBasic(header: string | undefined): [string, string] | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

/** RFC 6749 §2.3.1 form-encodes id and secret before Basic; most clients send them raw. */
export function formDecoded(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
