import { Sha256 } from '@aws-crypto/sha256-js';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { request } from 'undici';

/**
 * The operator's client for a deployed stack's HTTP API. The API uses IAM auth, so every call is
 * signed with SigV4 (service `execute-api`) using AWS credentials from the usual chain
 * (environment, profile, SSO, instance role).
 */

export interface SignedApiOptions {
  /** The stack's `ApiUrl` output, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/v1/ */
  apiUrl: string;
  /** Defaults to the region in the API URL. */
  region?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

export class OperatorApiError extends Error {
  override name = 'OperatorApiError';
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const b = body as { message?: string; error?: string; fields?: { path: string; rule: string }[] } | undefined;
    const fields = b?.fields?.map((f) => `\n  ${f.path}: ${f.rule}`).join('') ?? '';
    super(`API answered ${status} ${b?.error ?? ''}: ${b?.message ?? JSON.stringify(body)}${fields}`);
  }
}

/** `https://{id}.execute-api.{region}.amazonaws.com/...` → region; undefined for custom domains. */
export function regionFromApiUrl(apiUrl: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(new URL(apiUrl).hostname)?.[1];
}

export function createSignedApi(options: SignedApiOptions) {
  const base = new URL(options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`);
  const region = options.region ?? regionFromApiUrl(base.href) ?? process.env.AWS_REGION;
  if (!region) throw new Error('Cannot tell the AWS region from the API URL: pass --region or set AWS_REGION');
  const signer = new SignatureV4({
    service: 'execute-api',
    region,
    credentials: options.credentials ?? fromNodeProviderChain(),
    sha256: Sha256,
  });

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, extra: Record<string, string> = {}, query: Record<string, string> = {}): Promise<ApiAnswer<T>> {
    const url = new URL(path.replace(/^\//, ''), base);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: {
        host: url.host,
        accept: 'application/json',
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...extra,
      },
      body: payload,
    });
    const res = await request(url, { method, headers: signed.headers as Record<string, string>, body: payload });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // a non-JSON answer (e.g. an API Gateway HTML error page) is shown as text
    }
    if (res.statusCode >= 400) throw new OperatorApiError(res.statusCode, parsed);
    return { status: res.statusCode, body: parsed as T };
  }

  return {
    startRestore(body: unknown, opts: { idempotencyKey?: string; dryRun?: boolean } = {}) {
      return call('POST', 'restores', body, opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {}, opts.dryRun ? { dryRun: 'true' } : {});
    },
    getRestore(id: string) {
      return call('GET', `restores/${encodeURIComponent(id)}`);
    },
    cancelRestore(id: string) {
      return call('POST', `restores/${encodeURIComponent(id)}/cancel`, {});
    },
    holdTarget(body: { target: { groupId: string; clusterName: string }; forMinutes: number; reason: string }) {
      return call('POST', 'restores/holds', body);
    },
    releaseHold(target: { groupId: string; clusterName: string }) {
      return call('POST', `restores/holds/${encodeURIComponent(target.groupId)}/${encodeURIComponent(target.clusterName)}/release`, {});
    },
    listHolds() {
      return call('GET', 'restores/holds');
    },
    /** A plan's restore history and its auditor summary: `GET /restores?plan=&since=`. */
    listRestores(query: { plan: string; since?: string; limit?: number }) {
      const { limit, ...rest } = query;
      return call('GET', 'restores', undefined, {}, { ...rest, ...(limit !== undefined ? { limit: String(limit) } : {}) });
    },
  };
}
export type SignedApi = ReturnType<typeof createSignedApi>;
