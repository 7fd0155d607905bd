import { randomBytes } from 'node:crypto';
import { errors, type SimApiError } from '../errors.js';
import type { WorldConfig } from '../world.js';
import { DigestAuthority, parseDigestHeader } from './digest.js';
import { formDecoded, parseBasic, TokenAuthority, type TokenAnswer } from './oauth.js';
import type { RoleGrants } from './roles.js';

/** Who is calling: an API key (Digest) or a service account (Bearer token). Never holds a secret. */
export interface Principal {
  type: 'digest' | 'bearer';
  /** Public key or client id. */
  id: string;
  roles: RoleGrants;
}

/** What the request log may say about the caller, even when authentication failed. */
export interface AuthSummary {
  type: 'digest' | 'bearer' | 'basic' | 'none' | 'other';
  principal?: string;
}

export class Authenticator {
  readonly digest: DigestAuthority;
  readonly tokens: TokenAuthority;
  private apiKeys = new Map<string, { privateKey: string; roles: RoleGrants }>();
  private serviceAccounts = new Map<string, { clientSecret: string; roles: RoleGrants }>();
  /** Public keys and client ids an administrator revoked: every call with them gets 401. */
  private revoked = new Set<string>();

  /**
   * `now` is the simulated clock; `wallNow` the real one. A Digest nonce lives on the wall clock in
   * Atlas: at `--scale 60` a simulated-time nonce would go stale between two polls, every poll.
   */
  constructor(world: WorldConfig, now: () => number, wallNow: () => number = Date.now) {
    this.digest = new DigestAuthority(wallNow, world.auth.nonceTtlSeconds * 1000, world.auth.digestAlgorithms);
    this.tokens = new TokenAuthority(now, world.auth.tokenTtlSeconds);
    for (const k of world.credentials.apiKeys) this.apiKeys.set(k.publicKey, { privateKey: k.privateKey, roles: k.roles });
    for (const s of world.credentials.serviceAccounts) this.serviceAccounts.set(s.clientId, { clientSecret: s.clientSecret, roles: s.roles });
  }

  summarize(authorization: string | undefined): AuthSummary {
    if (!authorization) return { type: 'none' };
    const scheme = authorization.split(/\s+/, 1)[0]?.toLowerCase();
    if (scheme === 'digest') {
      const user = parseDigestHeader(authorization.slice(6)).username;
      return { type: 'digest', ...(user !== undefined && { principal: user }) };
    }
    if (scheme === 'bearer') {
      const verified = this.tokens.verify(authorization.slice(6).trim());
      return { type: 'bearer', ...(verified.ok && { principal: verified.clientId }) };
    }
    if (scheme === 'basic') {
      const id = parseBasic(authorization)?.[0];
      return { type: 'basic', ...(id !== undefined && { principal: id }) };
    }
    return { type: 'other' };
  }

  private challenge(stale: boolean): Record<string, string[]> {
    return { 'WWW-Authenticate': this.digest.challenge(stale) };
  }

  /** The caller, or a 401 carrying a fresh challenge. */
  authenticate(authorization: string | undefined, method: string, requestTarget: string): Principal | SimApiError {
    const scheme = authorization?.split(/\s+/, 1)[0]?.toLowerCase();
    if (scheme === 'digest') {
      const result = this.digest.verify(parseDigestHeader((authorization as string).slice(6)), method, requestTarget, (user) =>
        this.revoked.has(user) ? undefined : this.apiKeys.get(user)?.privateKey,
      );
      if (!result.ok) return errors.unauthorized(undefined, this.challenge(result.stale));
      const key = this.apiKeys.get(result.username);
      return { type: 'digest', id: result.username, roles: key?.roles ?? {} };
    }
    if (scheme === 'bearer') {
      let verified = this.tokens.verify((authorization as string).slice(6).trim());
      if (verified.ok && this.revoked.has(verified.clientId)) verified = { ok: false, reason: 'service account revoked' };
      if (!verified.ok)
        return errors.unauthorized(`You are not authorized for this resource: ${verified.reason}.`, {
          'WWW-Authenticate': [`Bearer realm="MMS Public API", error="invalid_token"`, ...this.digest.challenge(false)],
        });
      const account = this.serviceAccounts.get(verified.clientId);
      return { type: 'bearer', id: verified.clientId, roles: account?.roles ?? {} };
    }
    return errors.unauthorized(undefined, this.challenge(false));
  }

  /** True when `id` names an API key (public key) or a service account (client id) of the world. */
  knows(id: string): boolean {
    return this.apiKeys.has(id) || this.serviceAccounts.has(id);
  }

  /** An administrator revoked the key or account: later calls get 401 until `restore`. */
  revoke(id: string): void {
    this.revoked.add(id);
  }

  restore(id: string): void {
    this.revoked.delete(id);
  }

  /**
   * A new private key or client secret replaces the old one (which stops working at once, as do
   * the account's tokens). Returns the new value, for the test that "fixes" the credentials later.
   */
  rotate(id: string): string {
    const fresh = `rotated-${randomBytes(12).toString('hex')}`;
    const key = this.apiKeys.get(id);
    if (key) key.privateKey = fresh;
    const account = this.serviceAccounts.get(id);
    if (account) {
      account.clientSecret = fresh;
      this.tokens.revokeAll(id);
    }
    return fresh;
  }

  /**
   * Every credential a request carries or names, for the fault that echoes them: the Digest
   * user's private key (the server knows it), a bearer token and its account's secret, a Basic
   * pair, and client id/secret fields of a form body.
   */
  credentialsIn(authorization: string | undefined, body: string): string[] {
    const out: string[] = [];
    const scheme = authorization?.split(/\s+/, 1)[0]?.toLowerCase();
    if (scheme === 'digest') {
      const user = parseDigestHeader((authorization as string).slice(6)).username;
      if (user !== undefined) out.push(user, ...(this.apiKeys.has(user) ? [this.apiKeys.get(user)!.privateKey] : []));
    } else if (scheme === 'bearer') {
      const token = (authorization as string).slice(6).trim();
      out.push(token);
      const verified = this.tokens.verify(token);
      if (verified.ok) out.push(verified.clientId, ...(this.serviceAccounts.has(verified.clientId) ? [this.serviceAccounts.get(verified.clientId)!.clientSecret] : []));
    } else if (scheme === 'basic') {
      out.push(...(parseBasic(authorization) ?? []));
    }
    const form = new URLSearchParams(body);
    for (const field of ['client_id', 'client_secret']) {
      const value = form.get(field);
      if (value) out.push(value);
    }
    return [...new Set(out.filter((v) => v !== ''))];
  }

  /** `POST /api/oauth/token`: the status and body to send (RFC 6749 error shapes). */
  tokenRequest(
    authorization: string | undefined,
    contentType: string | undefined,
    body: string,
  ): { status: number; body: TokenAnswer | { error: string; error_description: string }; clientId?: string } {
    const basic = parseBasic(authorization);
    if (!basic) return { status: 401, body: { error: 'invalid_client', error_description: 'Basic client authentication is required.' } };
    const [rawId, rawSecret] = basic;
    const clientId = this.serviceAccounts.has(rawId) ? rawId : formDecoded(rawId);
    const account = this.revoked.has(clientId) ? undefined : this.serviceAccounts.get(clientId);
    if (!account || (account.clientSecret !== rawSecret && account.clientSecret !== formDecoded(rawSecret)))
      return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed.' }, clientId };
    if (!(contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded'))
      return { status: 400, body: { error: 'invalid_request', error_description: 'Content-Type must be application/x-www-form-urlencoded.' }, clientId };
    const grant = new URLSearchParams(body).get('grant_type');
    if (grant === null) return { status: 400, body: { error: 'invalid_request', error_description: 'grant_type is required.' }, clientId };
    if (grant !== 'client_credentials')
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: `Unsupported grant_type ${grant}.` }, clientId };
    return { status: 200, body: this.tokens.issue(clientId), clientId };
  }
}
