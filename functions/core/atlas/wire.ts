import type { Dispatcher } from 'undici';
import { request as undiciRequest } from '../domain/undici.js';
import { noteAtlasCall } from './callCount.js';

/**
 * One HTTP exchange through undici, reduced to what the retry logic needs to decide: an answer
 * (status, headers, body text) or a failure that says whether the request may have gone out.
 */

/** What the client tells its owner about each exchange (handlers turn these into metrics). */
export interface AtlasClientEvent {
  type: 'response' | 'retry' | 'auth-challenge' | 'token';
  /** "METHOD /path" with no host and no query string: safe to log. */
  operation: string;
  status?: number;
  /** 1-based attempt of the logical call. */
  attempt: number;
  /** For `retry`: how long the client waits before the next attempt. */
  delayMs?: number;
  rateLimitRemaining?: number;
  rateLimitLimit?: number;
}

export type EventSink = (event: AtlasClientEvent) => void;

export type HeaderValues = Record<string, string | string[] | undefined>;

export type Exchange =
  | { kind: 'answer'; status: number; headers: HeaderValues; text: string }
  /** `sent: false` only when the connection failed before any byte of the request was written. */
  | { kind: 'failure'; error: unknown; sent: boolean };

export interface WireRequest {
  origin: string;
  /** Path and query as sent on the request line. */
  target: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export interface WireTimeouts {
  headersMs: number;
  bodyMs: number;
}

/**
 * Failures that happen while opening the connection, so the server never saw the request:
 * refused, unreachable, DNS, connect timeout. Everything else (reset, "other side closed",
 * headers/body timeout) may have reached the server.
 */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NODATA',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // AggregateError from happy-eyeballs connects: judge by the first inner error.
  const inner = (error as { errors?: unknown[] }).errors?.[0];
  return inner === undefined ? undefined : errorCode(inner);
}

function failedBeforeSending(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && NOT_SENT_CODES.has(code);
}

/** A short description of a network failure for an error message (codes, no payloads). */
export function describeFailure(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

export async function exchange(dispatcher: Dispatcher, request: WireRequest, timeouts: WireTimeouts): Promise<Exchange> {
  let response: Dispatcher.ResponseData;
  try {
    response = await undiciRequest(dispatcher, {
      origin: request.origin,
      path: request.target,
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers,
      body: request.body ?? null,
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyMs,
    });
  } catch (error) {
    const sent = !failedBeforeSending(error);
    if (sent) noteAtlasCall();
    return { kind: 'failure', error, sent };
  }
  noteAtlasCall();
  try {
    const text = await response.body.text();
    return { kind: 'answer', status: response.statusCode, headers: response.headers, text };
  } catch (error) {
    return { kind: 'failure', error, sent: true };
  }
}

function headerValue(headers: HeaderValues, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Lower-case names, repeated headers joined with ", " (the transport's flat shape). */
export function flattenHeaders(headers: HeaderValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function intHeader(headers: HeaderValues, name: string): number | undefined {
  const raw = headerValue(headers, name);
  if (raw === undefined) return undefined;
  const n = Number.parseInt(raw, 10);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export function rateLimits(headers: HeaderValues): { rateLimitRemaining?: number; rateLimitLimit?: number } {
  const remaining = intHeader(headers, 'ratelimit-remaining');
  const limit = intHeader(headers, 'ratelimit-limit');
  return { ...(remaining !== undefined && { rateLimitRemaining: remaining }), ...(limit !== undefined && { rateLimitLimit: limit }) };
}

/** `Retry-After` in seconds; the HTTP-date form is converted against `now`. */
export function retryAfterSeconds(headers: HeaderValues, now: number): number | undefined {
  const raw = headerValue(headers, 'retry-after')?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+$/.test(raw)) return Number.parseInt(raw, 10);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Calls the owner's event sink; a throwing sink must never break an Atlas call. */
export function safeEmit(sink: EventSink | undefined, event: AtlasClientEvent): void {
  if (!sink) return;
  try {
    sink(event);
  } catch {
    // metrics are best effort
  }
}
