import { DEFAULT_RETRY } from './retry.js';

/**
 * How long one Atlas call can take at worst, for sizing what waits on it (the Lambda timeouts in
 * lib/functions.ts). Its own module with no dependencies, so lib/ can read it without loading undici.
 */

export interface AtlasClientTimeouts {
  /** Opening the TCP/TLS connection. Default 5 000. */
  connectMs?: number;
  /** From sending the request to the last response header. Default 30 000. */
  headersMs?: number;
  /** Longest silence while reading the body. Default 30 000. */
  bodyMs?: number;
}

export const DEFAULT_TIMEOUTS: Required<AtlasClientTimeouts> = { connectMs: 5_000, headersMs: 30_000, bodyMs: 30_000 };

/**
 * One logical call: the retry budget is checked before each attempt, so the last attempt may start
 * just inside it and then take its full connect, headers and body time.
 */
export const ATLAS_CALL_CEILING_MS = DEFAULT_RETRY.totalBudgetMs + DEFAULT_TIMEOUTS.connectMs + DEFAULT_TIMEOUTS.headersMs + DEFAULT_TIMEOUTS.bodyMs;
