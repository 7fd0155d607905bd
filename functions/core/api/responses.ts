import type { APIGatewayProxyResult } from 'aws-lambda';
import type { z } from 'zod';
import {
  AtlasApiError,
  AtlasAuthFailedError,
  AtlasConflictError,
  AtlasCredentialsInvalidError,
  AtlasInvalidRequestError,
  AtlasNotFoundError,
  AtlasThrottledError,
  AtlasUnavailableError,
  RestorePlanNotFoundError,
  RestoreRefusedError,
  RestoreRequestInvalidError,
  RestoreSnapshotUnavailableError,
  type FieldProblem,
} from '../domain/errors.js';
import { toFieldProblems } from '../restore/request.js';
import type { ApiErrorBody } from './errorBody.js';

/**
 * Every answer of the API is JSON, errors included: `{ error, message, ... }` where `error` is a
 * stable word a program can branch on and `message` is for a person. Nothing internal (stack
 * traces, AWS error details) ever goes into a body; unexpected errors are logged and answered 500.
 */

export type ApiResponse = APIGatewayProxyResult & { headers: Record<string, string> };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** What an error answer may carry besides `error` and `message` (./answers.ts ApiErrorBody). */
export type ErrorExtras = Omit<ApiErrorBody, 'error' | 'message'>;

/** An error answer, its body typed by ApiErrorBody. */
const fail = (statusCode: number, body: ApiErrorBody, headers: Record<string, string> = {}): ApiResponse => json(statusCode, body, headers);

/** An answer decided by the API itself (as opposed to an error raised by the core). */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
    readonly extra: ErrorExtras = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (message: string) => new ApiError(404, 'NotFound', message);
export const conflict = (message: string, extra: ErrorExtras = {}) => new ApiError(409, 'Conflict', message, extra);

/** An error answer never grows with the input: a few fields, each path and rule cut short. */
export const ERROR_BOUNDS = { fields: 10, messageFields: 3, path: 120, rule: 240, message: 2000 } as const;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The first ERROR_BOUNDS.fields problems, each cut short, and how many were left out. */
function boundFields(fields: FieldProblem[]): { fields: FieldProblem[]; omitted: number } {
  const kept = fields.slice(0, ERROR_BOUNDS.fields).map((f) => ({ path: clip(f.path, ERROR_BOUNDS.path), rule: clip(f.rule, ERROR_BOUNDS.rule) }));
  return { fields: kept, omitted: fields.length - kept.length };
}

/** 400 naming each offending field: `{ path: "overrides.snapshotId", rule: "..." }` (at most ERROR_BOUNDS.fields). */
export function validationError(all: FieldProblem[], message?: string): ApiError {
  const { fields, omitted } = boundFields(all);
  // The message names the first few; `fields` carries up to the cap.
  const shown = fields.slice(0, ERROR_BOUNDS.messageFields);
  const more = all.length > shown.length ? ` (and ${all.length - shown.length} more)` : '';
  const text = message ?? `The request is not valid: ${shown.map((f) => `${f.path || '(body)'} ${f.rule}`).join('; ')}${more}`;
  return new ApiError(400, 'ValidationError', clip(text, ERROR_BOUNDS.message), { fields, ...(omitted ? { fieldsOmitted: omitted } : {}) });
}

export function zodValidationError(error: z.ZodError, prefix = ''): ApiError {
  return validationError(toFieldProblems(error, prefix));
}

/** Prefixes the paths of a core validation error, e.g. with `request` for an ad-hoc request. */
export function prefixProblems(problems: FieldProblem[], prefix: string): FieldProblem[] {
  return problems.map((p) => ({ ...p, path: [prefix, p.path].filter(Boolean).join('.') }));
}

export interface ErrorLogger {
  error(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
}

const RETRY_AFTER_SECONDS = '5';

/**
 * Maps anything thrown while answering onto a response. Known errors become 4xx/5xx answers with
 * their own (person-readable, secret-free) message; anything else is logged with its details and
 * answered with a generic 500 carrying the request id to find the log line.
 */
export function errorResponse(err: unknown, requestId: string, logger: ErrorLogger): ApiResponse {
  if (err instanceof ApiError)
    return fail(err.statusCode, { error: err.error, message: clip(err.message, ERROR_BOUNDS.message), ...err.extra }, err.headers);
  if (err instanceof RestoreRequestInvalidError) return errorResponse(validationError(err.problems), requestId, logger);
  if (err instanceof RestorePlanNotFoundError) return fail(404, { error: 'PlanNotFound', message: clip(err.message, ERROR_BOUNDS.message) });
  if (err instanceof RestoreRefusedError) {
    // A plan that is not offered over HTTP is a permission matter (403), not a state that may change.
    if (err.code === 'TRIGGER_NOT_ALLOWED') return fail(403, { error: 'TriggerNotAllowed', code: err.code, message: clip(err.message, ERROR_BOUNDS.message) });
    if (err.code === 'HOLD_NOT_YOURS') return fail(403, { error: 'HoldNotYours', code: err.code, message: clip(err.message, ERROR_BOUNDS.message) });
    if (err.code === 'AD_HOC_NOT_ALLOWED') return fail(403, { error: 'AdHocNotAllowed', code: err.code, message: clip(err.message, ERROR_BOUNDS.message) });
    return fail(409, { error: 'RestoreRefused', code: err.code, message: clip(err.message, ERROR_BOUNDS.message) });
  }
  if (err instanceof RestoreSnapshotUnavailableError) return fail(409, { error: 'SnapshotUnavailable', message: clip(err.message, ERROR_BOUNDS.message) });
  if (err instanceof AtlasApiError) return atlasErrorResponse(err, logger);
  if (err instanceof AtlasCredentialsInvalidError) {
    logger.error('Atlas credentials unusable', { error: err });
    return fail(502, { error: 'AtlasUnavailable', message: 'The orchestrator could not authenticate to Atlas; an operator must check its credentials.' });
  }
  const awsName = awsErrorName(err);
  if (awsName === 'ThrottlingException' || awsName === 'ExecutionLimitExceeded' || awsName === 'ServiceUnavailable') {
    logger.warn('Step Functions refused for now', { error: err });
    return fail(
      503,
      { error: 'Unavailable', message: 'Step Functions is busy or at its limit right now; try again shortly.' },
      { 'Retry-After': RETRY_AFTER_SECONDS },
    );
  }
  logger.error('Unexpected error while answering', { error: err, requestId });
  return fail(500, {
    error: 'InternalError',
    message: 'Something went wrong on our side. The details are in the log under this request id.',
    requestId,
  });
}

function atlasErrorResponse(err: AtlasApiError, logger: ErrorLogger): ApiResponse {
  const atlasSays = { atlasStatus: err.status || undefined, atlasErrorCode: err.errorCode };
  if (err instanceof AtlasInvalidRequestError) return fail(400, { error: 'AtlasRejected', message: clip(err.message, ERROR_BOUNDS.message), ...atlasSays });
  if (err instanceof AtlasNotFoundError) return fail(404, { error: 'AtlasNotFound', message: clip(err.message, ERROR_BOUNDS.message), ...atlasSays });
  if (err instanceof AtlasConflictError) return fail(409, { error: 'AtlasConflict', message: clip(err.message, ERROR_BOUNDS.message), ...atlasSays });
  if (err instanceof AtlasThrottledError || err instanceof AtlasUnavailableError) {
    const retryAfter = err instanceof AtlasThrottledError && err.retryAfterSeconds ? String(err.retryAfterSeconds) : RETRY_AFTER_SECONDS;
    return fail(503, { error: 'AtlasUnavailable', message: clip(`Atlas is busy or unreachable: ${err.message}`, ERROR_BOUNDS.message) }, { 'Retry-After': retryAfter });
  }
  if (err instanceof AtlasAuthFailedError) {
    logger.error('Atlas refused our credentials', { error: err });
    return fail(502, { error: 'AtlasUnavailable', message: 'Atlas refused the orchestrator\'s credentials; an operator must check its API key, roles and access list.' });
  }
  logger.error('Unexpected Atlas error', { error: err });
  return fail(502, { error: 'AtlasUnavailable', message: 'Atlas answered in a way the orchestrator did not expect.' });
}

/** AWS SDK v3 errors carry the service's error code as `name`. */
export function awsErrorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}
