import type { Dispatcher } from 'undici';
import { getGlobalDispatcher, request } from '../../domain/undici.js';

/**
 * Posts a report to a Slack, Teams or plain JSON webhook. The URL is a credential (whoever has it
 * can post to the channel): it is never logged or put in an error; errors name the host only.
 * One retry on a 5xx, a 429 or a network error, and a short timeout per attempt, both inside the
 * channel's budget (../send.ts): a slow chat service must not hold the workflow, nor keep notify
 * from recording what the other channels took.
 */

export interface WebhookOptions {
  /** Per attempt, connection to last byte. Default 5 s. */
  timeoutMs?: number;
  /** Pause before the one retry. Default 500 ms. */
  retryDelayMs?: number;
  /**
   * The whole post, both attempts and the pause, must end within this (the channel's budget,
   * ../send.ts): each attempt gets what is left of it, and no second attempt starts without time for it.
   */
  totalMs?: number;
  /** Aborts the post (the channel's budget ran out). */
  signal?: AbortSignal;
  /** Tests and the local runner: a dispatcher of their own (undici's global one otherwise). */
  dispatcher?: Dispatcher;
  sleep?: (ms: number) => Promise<void>;
}

export class WebhookError extends Error {
  override name = 'WebhookError';
}

/** Plain http only to this machine (the local runner's and the tests' webhook servers). */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function checkWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookError('The webhook secret does not hold a valid URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    throw new WebhookError(`The webhook URL for ${url.hostname || 'its host'} must use https`);
  return url;
}

/** The SecretString is the URL itself, or JSON {"url": "..."}. */
export function webhookUrlFromSecret(secret: string): string {
  const text = secret.trim();
  if (!text.startsWith('{')) return text;
  try {
    const url = (JSON.parse(text) as { url?: unknown }).url;
    if (typeof url === 'string') return url.trim();
  } catch {
    // fall through: the message below must not quote the secret
  }
  throw new WebhookError('The webhook secret is JSON without a "url" string');
}

/** What reads a secret: Powertools' SecretsProvider (cached for `maxAge`), or a test double. */
export interface SecretReader {
  get(name: string, options?: { maxAge?: number }): Promise<unknown>;
}

/**
 * The webhook URL kept in a Secrets Manager secret. Cached for five minutes, so a rotated URL is
 * picked up without a Secrets Manager call per report.
 */
export function webhookUrlReader(secrets: SecretReader | (() => Promise<SecretReader>), maxAgeSeconds = 300) {
  return async (secretName: string): Promise<string> => {
    const reader = typeof secrets === 'function' ? await secrets() : secrets;
    const value = await reader.get(secretName, { maxAge: maxAgeSeconds });
    const text = typeof value === 'string' ? value : value instanceof Uint8Array ? new TextDecoder().decode(value) : undefined;
    if (!text) throw new WebhookError(`Secret ${secretName} holds no webhook URL`);
    return webhookUrlFromSecret(text);
  };
}

const TIMEOUT_ERRORS = new Set(['TimeoutError', 'AbortError', 'HeadersTimeoutError', 'BodyTimeoutError', 'ConnectTimeoutError']);

export async function postWebhook(
  rawUrl: string,
  body: unknown,
  options: WebhookOptions = {},
  headers: Record<string, string> = {},
): Promise<void> {
  const url = checkWebhookUrl(rawUrl);
  const perAttempt = options.timeoutMs ?? 5_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const payload = JSON.stringify(body);
  const endsAt = options.totalMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.totalMs;
  let last = '';
  let timeout = perAttempt;
  for (let attempt = 1; attempt <= 2; attempt++) {
    let retryable = true;
    timeout = Math.min(perAttempt, Math.max(0, endsAt - Date.now()));
    // A second attempt with less than a second (or a whole attempt) left would only be cut off: the step's retry comes instead.
    if (attempt > 1 && timeout < Math.min(1_000, perAttempt)) break;
    try {
      const res = await request(options.dispatcher ?? getGlobalDispatcher(), {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'atlas-restore-orchestrator', ...headers },
        body: payload,
        signal: options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeout)]) : AbortSignal.timeout(timeout),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      if (res.statusCode < 300) {
        await res.body.dump();
        return;
      }
      last = `answered ${res.statusCode}${await errorWord(res.body)}`;
      // 4xx other than 429: the URL or the payload is wrong, a retry would get the same answer.
      retryable = res.statusCode >= 500 || res.statusCode === 429;
    } catch (err) {
      const name = (err as Error)?.name ?? 'Error';
      last = TIMEOUT_ERRORS.has(name) ? `did not answer within ${timeout} ms` : `could not be reached (${name})`;
    }
    if (!retryable || options.signal?.aborted) break;
    if (attempt === 1) await sleep(options.retryDelayMs ?? 500);
  }
  throw new WebhookError(`The webhook at ${url.hostname} ${last}`);
}

/**
 * Slack answers errors with one short word ("invalid_payload", "channel_is_archived"), worth
 * passing on. Any other body is dropped: it might echo what the URL carries.
 */
async function errorWord(body: Dispatcher.ResponseData['body']): Promise<string> {
  try {
    const text = (await body.text()).trim();
    return /^[a-z][a-z_]{0,59}$/.test(text) ? ` (${text})` : '';
  } catch {
    return '';
  }
}
