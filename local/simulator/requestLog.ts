import type { AuthSummary } from './auth/authenticate.js';
import { iso } from './time.js';

/**
 * Every call, as tests read it back. It names the caller by public key or client id and never
 * holds a secret: no Authorization header, no body.
 */
export interface RequestLogEntry {
  seq: number;
  /** Simulated time the request arrived (epoch ms) and the same as ISO-8601. */
  time: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Atlas's operation name, when the path matched one. */
  operation?: string;
  auth: AuthSummary;
  /** The answered status; undefined when the connection was dropped or the answer lost. */
  status?: number;
  errorCode?: string;
  /** Resolved media type version of a successful answer. */
  version?: string;
  /** What a fault rule did to this call ("rule 0 (createBackupRestoreJob): lost answer", "rate limited"). */
  fault?: string;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly sink?: (line: string) => void) {}

  start(entry: Omit<RequestLogEntry, 'seq' | 'at'>): RequestLogEntry {
    this.seq += 1;
    const full: RequestLogEntry = { seq: this.seq, at: iso(entry.time), ...entry };
    this.entries.push(full);
    return full;
  }

  finish(entry: RequestLogEntry): void {
    if (!this.sink) return;
    const who = entry.auth.principal ? `${entry.auth.type}:${entry.auth.principal}` : entry.auth.type;
    const outcome = entry.status === undefined ? 'no answer' : `${entry.status}${entry.errorCode ? ` ${entry.errorCode}` : ''}`;
    const q = new URLSearchParams(entry.query).toString();
    this.sink(
      `${entry.at} ${entry.method} ${entry.path}${q ? `?${q}` : ''} → ${outcome} [${entry.operation ?? '-'}] ${who}${entry.fault ? ` (${entry.fault})` : ''}`,
    );
  }

  all(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e, query: { ...e.query }, auth: { ...e.auth } }));
  }

  clear(): void {
    this.entries = [];
  }
}
