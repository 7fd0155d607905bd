import {
  AtlasApiError,
  AtlasAuthFailedError,
  AtlasConflictError,
  AtlasInvalidRequestError,
  AtlasNotFoundError,
  AtlasThrottledError,
  AtlasUnavailableError,
  type AtlasErrorBody,
} from '../domain/errors.js';
import { redactDeep } from './redaction.js';

/**
 * Turns a non-2xx Atlas answer into the typed error a Step Functions Retry/Catch matches, with a
 * message a person can act on. Every text that came from the server passes through `clean` (the
 * client's redaction) before it lands in a message or a field of the error.
 */

export type Clean = (text: string) => string;

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Atlas's `{error, errorCode, detail, reason, parameters, badRequestDetail}`, if the body is one. */
export function parseErrorBody(text: string, clean: Clean): AtlasErrorBody | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  const body: AtlasErrorBody = {};
  if (typeof r.error === 'number') body.error = r.error;
  const errorCode = asString(r.errorCode);
  if (errorCode !== undefined) body.errorCode = clean(errorCode);
  const detail = asString(r.detail);
  if (detail !== undefined) body.detail = clean(detail);
  const reason = asString(r.reason);
  if (reason !== undefined) body.reason = clean(reason);
  if (Array.isArray(r.parameters)) body.parameters = redactDeep(r.parameters, clean) as unknown[];
  const fields = (r.badRequestDetail as { fields?: unknown } | undefined)?.fields;
  if (Array.isArray(fields)) {
    body.badRequestDetail = {
      fields: fields
        .filter((f): f is { field: unknown; description: unknown } => typeof f === 'object' && f !== null)
        .map((f) => ({ field: clean(String(f.field ?? '')), description: clean(String(f.description ?? '')) })),
    };
  }
  return body;
}

type ErrorClass = new (message: string, init: ConstructorParameters<typeof AtlasApiError>[1]) => AtlasApiError;

function errorClassFor(status: number): ErrorClass {
  if (status === 429) return AtlasThrottledError;
  if (status >= 500) return AtlasUnavailableError;
  if (status === 401 || status === 403) return AtlasAuthFailedError;
  if (status === 404) return AtlasNotFoundError;
  if (status === 405 || status === 409) return AtlasConflictError;
  return AtlasInvalidRequestError; // 400, 422, 410 (version gone) and anything unexpected
}

const HINTS: Record<number, string> = {
  401: 'check the API key or service account credentials',
  403: "check the key's project roles and the organisation's API access list",
};

/** e.g. `Atlas GET /api/atlas/v2/groups/…/restoreJobs/… answered 404 RESOURCE_NOT_FOUND: No job.` */
export function describeAnswer(operation: string, status: number, body: AtlasErrorBody | undefined): string {
  let message = `Atlas ${operation} answered ${status}`;
  const code = body?.errorCode ?? body?.reason;
  if (code) message += ` ${code}`;
  if (body?.detail) message += `: ${body.detail}`;
  const fields = body?.badRequestDetail?.fields ?? [];
  if (fields.length > 0) message += ` (fields: ${fields.map((f) => `${f.field}: ${f.description}`).join('; ')})`;
  const hint = HINTS[status];
  if (hint) message += ` (${hint})`;
  return message;
}

export function errorForAnswer(
  operation: string,
  status: number,
  text: string,
  clean: Clean,
  extra: { retryAfterSeconds?: number; suffix?: string } = {},
): AtlasApiError {
  const body = parseErrorBody(text, clean);
  const ErrorType = errorClassFor(status);
  const message = clean(describeAnswer(operation, status, body) + (extra.suffix ?? ''));
  const error = new ErrorType(message, { status, operation, ...(body && { body }) });
  if (error instanceof AtlasThrottledError && extra.retryAfterSeconds !== undefined) error.retryAfterSeconds = extra.retryAfterSeconds;
  return error;
}
