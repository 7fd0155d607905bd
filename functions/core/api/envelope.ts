import type { APIGatewayProxyEvent } from 'aws-lambda';
import { editDistance } from '../domain/didYouMean.js';
import { header } from './http.js';
import { ApiError, validationError } from './responses.js';

/**
 * The envelope of a request, checked before anything reads it: how big the body is, what it says
 * it is, and which query parameters it carries. Anything the API does not understand is refused,
 * never ignored: an ignored `?dryrun=true` would start a real, destructive restore.
 */

/** A real start request is well under 2 KB; this leaves room and still refuses a flood before parsing. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface Envelope {
  /** The query parameters this route understands; any other is a 400. */
  query: readonly string[];
  /** `json`: a JSON body is expected; `none`: no body (an empty `{}` is tolerated, as clients send it). */
  body: 'json' | 'none';
}

export function checkEnvelope(event: APIGatewayProxyEvent, envelope: Envelope): void {
  const text = rawBody(event);
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES)
    throw new ApiError(413, 'PayloadTooLarge', `The body is larger than ${MAX_BODY_BYTES} bytes; a restore request fits in far less.`);
  if (text.trim() !== '') {
    const type = header(event, 'Content-Type');
    if (!isJsonType(type))
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `The body must be sent as Content-Type: application/json (optionally with charset=utf-8; got ${type === undefined ? 'no Content-Type' : `"${clip(type, 60)}"`}).`,
      );
    if (envelope.body === 'none' && text.trim() !== '{}')
      throw validationError([{ path: '(body)', rule: 'this request takes no body' }]);
  }
  checkQuery(event, envelope.query);
}

function checkQuery(event: APIGatewayProxyEvent, allowed: readonly string[]): void {
  const names = new Set([...Object.keys(event.queryStringParameters ?? {}), ...Object.keys(event.multiValueQueryStringParameters ?? {})]);
  const problems = [...names]
    .filter((name) => !allowed.includes(name))
    .map((name) => {
      const near = allowed.find((a) => looksLike(name, a));
      const allowedText = allowed.length ? `allowed: ${allowed.join(', ')}` : 'this request takes no query parameters';
      return { path: `query.${name}`, rule: `is not a known query parameter (${near ? `did you mean ${near}? ` : ''}${allowedText})` };
    });
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {}))
    if (allowed.includes(name) && (values?.length ?? 0) > 1) problems.push({ path: `query.${name}`, rule: 'is given more than once' });
  if (problems.length) throw validationError(problems);
}

/** `dryrun`, `dry_run`, `DryRun`, `dry-run`, `dryRn`: the same word with another case, separator or one slip. */
export function looksLike(given: string, known: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const a = norm(given);
  const b = norm(known);
  // The length check first: a query name is the caller's to make as long as it likes.
  return a === b || (a.length >= 3 && Math.abs(a.length - b.length) <= 2 && editDistance(a, b) <= 2);
}

/**
 * `application/json`, any case, with at most a `charset=utf-8` parameter: JSON is UTF-8 (RFC 8259),
 * and a body announced in another charset would be read as something it is not.
 */
function isJsonType(type: string | undefined): boolean {
  return type !== undefined && /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i.test(type.trim());
}

export function rawBody(event: APIGatewayProxyEvent): string {
  const raw = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);
