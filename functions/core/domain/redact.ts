/**
 * Text that leaves the product (reports, step answers, logs) passes here first: a Cause or a detail
 * is written by whichever code threw, and reports go to chat channels.
 */

const MAX_MESSAGE = 1000;
/** A stack frame line: "    at fn (file.js:1:2)". */
const STACK_FRAME = /^\s*at\s/;

/**
 * The person-readable part of a Step Functions Cause. A Lambda error's Cause is JSON
 * {errorType, errorMessage, trace}: only the message is kept, never the trace. Plain text (a Fail
 * state, a service error) is cut before the first stack frame. Either way it is redacted.
 */
export function causeMessage(cause: string | undefined): string {
  if (!cause?.trim()) return 'no details were given';
  let text = cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed?.errorMessage === 'string') text = parsed.errorMessage;
  } catch {
    // Not JSON: keep the text.
  }
  const lines = text.split('\n');
  const firstFrame = lines.findIndex((l) => STACK_FRAME.test(l));
  const kept = (firstFrame === -1 ? lines : lines.slice(0, firstFrame)).join(' ').replace(/\s+/g, ' ').trim();
  const message = redact(kept || 'no details were given');
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
}

/** The longest text one field of a report, a step's answer or a heading may carry once redacted. */
export const MAX_REDACTED_LENGTH = 4000;

/** Keys whose value is a credential wherever they appear: JSON fields, `key=value` text, headers. */
const SECRET_KEY = String.raw`(?:password|passwd|pwd|secret|[\w-]*token|api[_-]?key|apikey|private[_-]?key|client[_-]?secret|access[_-]?key|authorization|credentials?)`;
const SECRET_KEY_NAME = new RegExp(`^${SECRET_KEY}$`, 'i');

/**
 * The one redactor for everything that leaves the product (reports and each of their fields, step
 * answers and errors, Atlas answers, CLI headings, logs); the Atlas client adds its own known
 * credential values on top (../atlas/credentials.ts). It takes out:
 * - URLs' userinfo, path and query (a webhook's path and a presigned URL's query are the credential):
 *   the origin stays;
 * - MongoDB connection strings' userinfo (`mongodb://user:pass@…`, `mongodb+srv://…`);
 * - the value of a secret-sounding key (`password`, `apiKey`, `token`, `secret`, …) in JSON
 *   (`"apiKey": "…"`, quotes maybe escaped) and in `key=value` / `key: value` text;
 * - Bearer, Basic and Digest credentials;
 * and caps the length (`max`, default MAX_REDACTED_LENGTH).
 */
export function redact(text: string, max: number = MAX_REDACTED_LENGTH): string {
  const out = text
    .replace(/\b(mongodb(?:\+srv)?):\/\/[^\s@/'"<>]*@/gi, '$1://[redacted]@')
    .replace(/\b(https?):\/\/([^\s/?#'"<>]+)([^\s'"<>]*)/gi, (_m, scheme: string, authority: string, rest: string) =>
      `${scheme}://${authority.replace(/^.*@/, '')}${rest && rest !== '/' ? '/…' : ''}`,
    )
    .replace(/\b(bearer)\s+[\w\-.~+/]{6,}=*/gi, '$1 [redacted]')
    // Basic only when it looks encoded ("basic tier" stays), Digest only as a parameter list.
    .replace(/\b(basic)\s+(?=[\w+/-]*[\d+/=])[\w+/-]{8,}=*/gi, '$1 [redacted]')
    .replace(/\b(digest)\s+(?=[\w-]+\s*=)[^\r\n]*/gi, '$1 [redacted]')
    .replace(new RegExp(String.raw`\b(${SECRET_KEY})(\\?["']?\s*[:=]\s*)(\\?["'])((?:\\.|(?!\3)[^\\])*?)\3`, 'gi'), '$1$2$3[redacted]$3')
    .replace(new RegExp(String.raw`\b(${SECRET_KEY})(\\?["']?\s*[:=]\s*)(?!\\?["']|\[redacted\])[^\s"',;&}\]]+`, 'gi'), '$1$2[redacted]');
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

/**
 * A JSON value (a step's output, an Atlas answer, a report) with every string redacted and the
 * value of every secret-sounding key replaced, however deep. Keys of `keep` are left as they are
 * (a download's presigned URLs are the data the report exists to carry).
 */
export function redactDeep<T>(value: T, keep: readonly string[] = []): T {
  const walk = (v: unknown, key: string | undefined): unknown => {
    if (key !== undefined && keep.includes(key)) return v;
    if (key !== undefined && SECRET_KEY_NAME.test(key) && v !== null && typeof v !== 'object') return '[redacted]';
    if (typeof v === 'string') return redact(v);
    if (Array.isArray(v)) return v.map((item) => walk(item, undefined));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, walk(inner, k)]));
    return v;
  };
  return walk(value, undefined) as T;
}
