import type { Dispatcher } from 'undici';
import { AtlasCreateOutcomeUnknownError, AtlasCredentialsInvalidError, AtlasInvalidRequestError, AtlasThrottledError, AtlasUnavailableError } from '../domain/errors.js';
import { Agent } from '../domain/undici.js';
import { DigestAuth, ServiceAccountAuth, type AuthStrategy } from './auth.js';
import { redact, type AtlasCredentials } from './credentials.js';
import { describeAnswer, errorForAnswer, parseErrorBody } from './responses.js';
import { nextDelay, retryPolicy, verdictForFailure, verdictForStatus, type RetryOptions, type RetryPolicy, type Verdict } from './retry.js';
import { ATLAS_API_PREFIX, type AtlasApiVersion, type AtlasRequest, type AtlasResponse, type AtlasTransport, type ListOptions, type QueryValue } from './transport.js';
import { describeFailure, exchange, flattenHeaders, rateLimits, retryAfterSeconds, safeEmit, type AtlasClientEvent, type Exchange, type WireTimeouts } from './wire.js';

/**
 * The Atlas Admin API v2 client: one undici Agent (keep-alive), Digest or service-account auth,
 * versioned media types, typed errors, bounded retries that never repeat a possibly-acted-on create,
 * and pagination. Restore kinds see only the AtlasTransport interface.
 */

export type { AtlasClientEvent } from './wire.js';
import { DEFAULT_TIMEOUTS, type AtlasClientTimeouts } from './limits.js';


export interface AtlasClientOptions {
  /** `https://cloud.mongodb.com`, `https://cloud.mongodbgov.com`, or a local simulator. */
  baseUrl: string;
  credentials: AtlasCredentials;
  retry?: RetryOptions;
  timeouts?: AtlasClientTimeouts;
  /** Bring your own undici dispatcher (tests, proxies); the client then does not close it. */
  dispatcher?: Dispatcher;
  userAgent?: string;
  onEvent?: (event: AtlasClientEvent) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface AtlasClient extends AtlasTransport {
  /** Closes the client's connections (not a dispatcher passed in). */
  close(): Promise<void>;
}

const DEFAULT_USER_AGENT = 'atlas-restore-orchestrator';
/** listAll's guard when the caller sets no maxItems. */
const DEFAULT_MAX_LIST_ITEMS = 100_000;
/** 401 round trips one attempt may make: first challenge, a stale nonce, a forgotten nonce. */
const MAX_AUTH_ROUNDS = 3;

export function createAtlasClient(options: AtlasClientOptions): AtlasClient {
  return new HttpAtlasClient(options);
}

function mediaType(version: AtlasApiVersion): string {
  return `application/vnd.atlas.${version}+json`;
}

function queryString(query: Record<string, QueryValue> | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) params.append(name, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** A request's outcome including "the auth step failed before anything was sent". */
type Outcome = Exchange | { kind: 'not-sent'; error: unknown };

class HttpAtlasClient implements AtlasClient {
  private readonly origin: string;
  private readonly prefix: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly auth: AuthStrategy;
  private readonly policy: RetryPolicy;
  private readonly wireTimeouts: WireTimeouts;
  private readonly userAgent: string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: AtlasClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new AtlasCredentialsInvalidError('The Atlas base URL is not a valid URL');
    }
    // Bearer tokens and Basic client secrets must not cross a network in clear text.
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname)))
      throw new AtlasCredentialsInvalidError('The Atlas base URL must use https (plain http only for a local simulator on loopback)');
    this.origin = url.origin;
    this.prefix = url.pathname.replace(/\/+$/, '');
    const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.wireTimeouts = { headersMs: timeouts.headersMs, bodyMs: timeouts.bodyMs };
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      new Agent({ connect: { timeout: timeouts.connectMs }, headersTimeout: timeouts.headersMs, bodyTimeout: timeouts.bodyMs });
    this.policy = retryPolicy(options.retry);
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    const { credentials } = options;
    this.auth =
      credentials.type === 'digest'
        ? new DigestAuth(credentials.publicKey, credentials.privateKey, options.onEvent)
        : new ServiceAccountAuth({
            baseUrl: `${this.origin}${this.prefix}`,
            clientId: credentials.clientId,
            clientSecret: credentials.clientSecret,
            dispatcher: this.dispatcher,
            timeouts: this.wireTimeouts,
            userAgent: this.userAgent,
            now: this.now,
            ...(options.onEvent && { onEvent: options.onEvent }),
          });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private clean = (text: string): string => redact(text, this.options, this.auth.liveSecrets());

  private emit(event: AtlasClientEvent): void {
    safeEmit(this.options.onEvent, event);
  }

  async request<T = unknown>(req: AtlasRequest): Promise<AtlasResponse<T>> {
    const path = req.path.split('?')[0] ?? '';
    const operation = `${req.method} ${path}`;
    // The root itself (getSystemStatus) is the one path with nothing after the prefix.
    if (path !== ATLAS_API_PREFIX && !path.startsWith(`${ATLAS_API_PREFIX}/`)) throw new AtlasInvalidRequestError(`Atlas paths start ${ATLAS_API_PREFIX}/, not ${operation}`, { operation });
    const target = `${this.prefix}${path}${queryString(req.query)}`;
    const headers: Record<string, string> = { accept: mediaType(req.version), 'user-agent': this.userAgent };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = mediaType(req.version);
    }
    const started = this.now();
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.send(req.method, target, headers, body, operation, attempt);
      let verdict: Verdict | 'ambiguous';
      let giveUp: (attempts: number) => Error;

      if (outcome.kind === 'not-sent') {
        const error = outcome.error;
        if (error instanceof AtlasThrottledError) verdict = { retry: true, reason: 'throttled', ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }) };
        else if (error instanceof AtlasUnavailableError) verdict = { retry: true, reason: 'unavailable' };
        else throw error;
        giveUp = () => error as Error;
      } else if (outcome.kind === 'failure') {
        verdict = verdictForFailure(req.method, outcome.sent);
        const what = this.clean(describeFailure(outcome.error));
        if (verdict === 'ambiguous') throw this.outcomeUnknown(operation, `failed after the request was sent: ${what}`, 0, outcome.error);
        giveUp = (n) => new AtlasUnavailableError(`Atlas ${operation} failed: ${what}${attemptsNote(n)}`, { operation, cause: outcome.error });
      } else if (outcome.status >= 200 && outcome.status < 300) {
        const parsed = parseSuccess(outcome.status, outcome.text);
        if (parsed.ok) return { status: outcome.status, body: parsed.body as T, headers: flattenHeaders(outcome.headers) };
        verdict = verdictForFailure(req.method, true);
        if (verdict === 'ambiguous') throw this.outcomeUnknown(operation, `answered ${outcome.status} with a body that is not JSON`, outcome.status);
        giveUp = (n) => new AtlasUnavailableError(`Atlas ${operation} answered ${outcome.status} with a body that is not JSON${attemptsNote(n)}`, { status: outcome.status, operation });
      } else {
        const retryAfter = retryAfterSeconds(outcome.headers, this.now());
        verdict = verdictForStatus(req.method, outcome.status, retryAfter);
        if (verdict === 'ambiguous') {
          const answered = describeAnswer(operation, outcome.status, parseErrorBody(outcome.text, this.clean)).replace(/^Atlas \S+ \S+ /, '');
          throw this.outcomeUnknown(operation, answered, outcome.status);
        }
        const { status, text } = outcome;
        const retried = verdict.retry;
        giveUp = (n) =>
          errorForAnswer(operation, status, text, this.clean, {
            ...(retryAfter !== undefined && { retryAfterSeconds: retryAfter }),
            ...(retried && { suffix: attemptsNote(n) }),
          });
      }

      if (!verdict.retry) throw giveUp(attempt);
      const delayMs = nextDelay(this.policy, attempt, this.now() - started, verdict, this.random);
      if (delayMs === undefined) throw giveUp(attempt);
      this.emit({ type: 'retry', operation, attempt, delayMs, ...(outcome.kind === 'answer' && { status: outcome.status }) });
      await this.sleep(delayMs);
    }
  }

  /** One attempt, including the 401 round trips authentication needs (not counted as attempts). */
  private async send(method: string, target: string, headers: Record<string, string>, body: string | undefined, operation: string, attempt: number): Promise<Outcome> {
    let renewed = false;
    for (let round = 1; ; round++) {
      let authorization: string | undefined;
      try {
        authorization = await this.auth.authorize(method, target, attempt);
      } catch (error) {
        return { kind: 'not-sent', error };
      }
      const result = await exchange(
        this.dispatcher,
        { origin: this.origin, target, method, headers: authorization === undefined ? headers : { ...headers, authorization }, ...(body !== undefined && { body }) },
        this.wireTimeouts,
      );
      if (result.kind !== 'answer') return result;
      this.emit({ type: 'response', operation, status: result.status, attempt, ...rateLimits(result.headers) });
      if (
        result.status === 401 &&
        round < MAX_AUTH_ROUNDS &&
        this.auth.retryAfter401({ operation, attempt, headers: result.headers, sent: authorization, renewed })
      ) {
        renewed = true;
        continue;
      }
      return result;
    }
  }

  private outcomeUnknown(operation: string, what: string, status: number, cause?: unknown): AtlasCreateOutcomeUnknownError {
    const message = this.clean(
      `Atlas ${operation} ${what}. Atlas may or may not have acted on it, so it was not sent again ` +
        '(that could create a second restore): reconcile by listing the restore jobs and adopting the one that matches',
    );
    return new AtlasCreateOutcomeUnknownError(message, { status, operation, ...(cause !== undefined && { cause }) });
  }

  async listAll<T = unknown>(req: Omit<AtlasRequest, 'method' | 'body'>, options: ListOptions = {}): Promise<T[]> {
    const itemsPerPage = Math.min(500, Math.max(1, Math.floor(options.itemsPerPage ?? 100)));
    const maxItems = options.maxItems ?? DEFAULT_MAX_LIST_ITEMS;
    const items: T[] = [];
    for (let pageNum = 1; items.length < maxItems; pageNum++) {
      const { body } = await this.request<unknown>({ ...req, method: 'GET', query: { ...req.query, pageNum, itemsPerPage } });
      const page = readPage<T>(body, `GET ${req.path}`);
      items.push(...page.results.slice(0, maxItems - items.length));
      // totalCount is "an estimate": a short or empty page ends the list whatever it says.
      if (page.results.length < itemsPerPage) break;
      if (page.totalCount !== undefined && items.length >= page.totalCount) break;
    }
    return items;
  }
}

function attemptsNote(attempts: number): string {
  return attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
}

function parseSuccess(status: number, text: string): { ok: true; body: unknown } | { ok: false } {
  if (status === 204 || text.trim() === '') return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function readPage<T>(body: unknown, operation: string): { results: T[]; totalCount?: number } {
  const page = body as { results?: unknown; totalCount?: unknown } | undefined;
  if (typeof page !== 'object' || page === null || !Array.isArray(page.results))
    throw new AtlasInvalidRequestError(`Atlas ${operation} did not answer a paginated list (no results array)`, { operation });
  return { results: page.results as T[], ...(typeof page.totalCount === 'number' && { totalCount: page.totalCount }) };
}
