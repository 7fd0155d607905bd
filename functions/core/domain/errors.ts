/**
 * Every error the core throws. The `name` of each class is what Lambda reports as `errorType`, so
 * the Step Functions `Retry`/`Catch` blocks in lib/ match on these exact strings. Renaming one is a
 * breaking change for deployed state machines: keep `ERROR_NAMES` and lib/ in step.
 *
 * Messages are written for a person and must never contain a credential (the client redacts).
 */

export const ERROR_NAMES = {
  /** 429 from Atlas after the client's own retries: transient, retry later. */
  throttled: 'AtlasThrottled',
  /** 5xx, connection reset, timeout before the request was sent: transient. */
  unavailable: 'AtlasUnavailable',
  /** 400/409-class answers, or our own schema check failing: fix the request, never retry. */
  invalidRequest: 'AtlasInvalidRequest',
  /** 401/403: the key is wrong, revoked, lacks a role, or the caller's IP is not on the access list. */
  authFailed: 'AtlasAuthFailed',
  /** 404: project, cluster, snapshot or job does not exist. */
  notFound: 'AtlasNotFound',
  /** 409 (e.g. a download already running for the snapshot) or 405 (cancel not allowed). */
  conflict: 'AtlasConflict',
  /**
   * A create (POST) may or may not have reached Atlas (timeout or reset after the body went out).
   * Never retried blindly: the caller reconciles by looking for the job (see restore/adopt.ts).
   */
  ambiguousCreate: 'AtlasCreateOutcomeUnknown',
  /** A request failed our own checks before any HTTP call: field path + rule in the message. */
  requestInvalid: 'RestoreRequestInvalid',
  /** A guard or the preflight refused the restore (protected target, source = target, target busy or held, cooldown, trigger or ad-hoc policy, restore window, target not restorable, missing role). */
  refused: 'RestoreRefused',
  /** Credentials could not be read or are malformed (never includes the values). */
  credentials: 'AtlasCredentialsInvalid',
  /** A plan name that is not configured, or a plan that does not allow the trigger. */
  planNotFound: 'RestorePlanNotFound',
  /** No snapshot matches the plan's choice (none completed, too old, wrong type). */
  snapshotUnavailable: 'RestoreSnapshotUnavailable',
  /** Notify reached none of the restore's channels (each failure is in the message, never a URL). */
  notificationUndeliverable: 'NotificationUndeliverable',
  /**
   * Notify: some channels took the report and at least one did not. Retried by the state machine,
   * which sends only to the missing channels (the delivery ledger); after the retries the report is
   * kept for replay (notify/undelivered.ts) and the restore ends as it ended.
   */
  notificationIncomplete: 'NotificationIncomplete',
  /** The restore history table could not be written (unreachable, throttled, refused): notify is tried again. */
  historyUnavailable: 'HistoryUnavailable',
} as const;

export type ErrorName = (typeof ERROR_NAMES)[keyof typeof ERROR_NAMES];

/** Errors worth a Step Functions retry with backoff. */
export const TRANSIENT_ERROR_NAMES: readonly ErrorName[] = [ERROR_NAMES.throttled, ERROR_NAMES.unavailable];

export interface AtlasErrorBody {
  error?: number;
  errorCode?: string;
  detail?: string | null;
  reason?: string | null;
  parameters?: unknown[];
  badRequestDetail?: { fields?: { field: string; description: string }[] };
}

/** Base of every error that came back from (or failed on the way to) the Atlas Admin API. */
export class AtlasApiError extends Error {
  override name: ErrorName = ERROR_NAMES.unavailable;
  readonly status: number;
  readonly errorCode: string | undefined;
  readonly detail: string | undefined;
  readonly reason: string | undefined;
  readonly parameters: unknown[] | undefined;
  /** "METHOD /path" without query string or host: safe to log. */
  readonly operation: string | undefined;

  constructor(
    message: string,
    init: { status?: number; body?: AtlasErrorBody; operation?: string; cause?: unknown } = {},
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status ?? 0;
    this.errorCode = init.body?.errorCode;
    this.detail = init.body?.detail ?? undefined;
    this.reason = init.body?.reason ?? undefined;
    this.parameters = init.body?.parameters;
    this.operation = init.operation;
  }
}

export class AtlasThrottledError extends AtlasApiError {
  override name = ERROR_NAMES.throttled;
  /** Seconds Atlas asked us to wait, when it said. */
  retryAfterSeconds?: number;
}
export class AtlasUnavailableError extends AtlasApiError {
  override name = ERROR_NAMES.unavailable;
}
export class AtlasInvalidRequestError extends AtlasApiError {
  override name = ERROR_NAMES.invalidRequest;
}
export class AtlasAuthFailedError extends AtlasApiError {
  override name = ERROR_NAMES.authFailed;
}
export class AtlasNotFoundError extends AtlasApiError {
  override name = ERROR_NAMES.notFound;
}
export class AtlasConflictError extends AtlasApiError {
  override name = ERROR_NAMES.conflict;
}
export class AtlasCreateOutcomeUnknownError extends AtlasApiError {
  override name = ERROR_NAMES.ambiguousCreate;
}

export interface FieldProblem {
  /** Dotted path of the field in the request, e.g. `target.clusterName`. */
  path: string;
  /** The rule broken, in words. */
  rule: string;
}

/** Our own validation refused the request before any HTTP call. */
export class RestoreRequestInvalidError extends Error {
  override name = ERROR_NAMES.requestInvalid;
  readonly problems: FieldProblem[];
  constructor(problems: FieldProblem[], context = 'restore request') {
    super(`Invalid ${context}: ${problems.map((p) => `${p.path || '(root)'}: ${p.rule}`).join('; ')}`);
    this.problems = problems;
  }
}

export type RefusalCode =
  | 'PROTECTED_TARGET'
  | 'SOURCE_IS_TARGET'
  | 'TARGET_BUSY'
  | 'TRIGGER_NOT_ALLOWED'
  | 'AD_HOC_NOT_ALLOWED'
  /** A person or a recovery plan holds the target (see orchestrate/holds.ts). */
  | 'TARGET_HELD'
  /** The plan ran less than its cooldownMinutes ago. */
  | 'COOLDOWN'
  /** Preflight (orchestrate/preflight.ts): the point in time is outside the source's restorable window. */
  | 'OUTSIDE_RESTORE_WINDOW'
  /** Preflight: the target does not exist, is paused, of the wrong kind, version, topology or disk. */
  | 'TARGET_NOT_RESTORABLE'
  /** Preflight: the key lacks a role one of the restore's Atlas calls needs. */
  | 'MISSING_ROLE'
  /** A hold may be released, shortened or replaced only by its owner or a hold administrator. */
  | 'HOLD_NOT_YOURS'
  /** The hold changed between reading and writing it: read it again. */
  | 'HOLD_CHANGED';

/** A guard said no. Nothing was created. */
export class RestoreRefusedError extends Error {
  override name = ERROR_NAMES.refused;
  readonly code: RefusalCode;
  constructor(code: RefusalCode, message: string) {
    super(message);
    this.code = code;
  }
}

export class AtlasCredentialsInvalidError extends Error {
  override name = ERROR_NAMES.credentials;
}

export class RestorePlanNotFoundError extends Error {
  override name = ERROR_NAMES.planNotFound;
}

export class RestoreSnapshotUnavailableError extends Error {
  override name = ERROR_NAMES.snapshotUnavailable;
}

export class NotificationUndeliverableError extends Error {
  override name = ERROR_NAMES.notificationUndeliverable;
}

export class NotificationIncompleteError extends Error {
  override name = ERROR_NAMES.notificationIncomplete;
}

export class HistoryUnavailableError extends Error {
  override name = ERROR_NAMES.historyUnavailable;
}
