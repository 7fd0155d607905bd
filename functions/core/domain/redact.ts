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

/**
 * Defence in depth for text that came from elsewhere: a Cause is written by whichever code threw,
 * and reports go to chat channels. URLs keep their origin only (a webhook's path and a presigned
 * URL's query are the credential); `key=value` pairs with a secret-sounding key lose their value.
 */
export function redact(text: string): string {
  return text
    .replace(/\b(https?):\/\/([^\s/?#'"<>]+)([^\s'"<>]*)/gi, (_m, scheme: string, authority: string, rest: string) =>
      `${scheme}://${authority.replace(/^.*@/, '')}${rest && rest !== '/' ? '/…' : ''}`,
    )
    .replace(/\b(password|passwd|secret|token|api[_-]?key|private[_-]?key|client[_-]?secret|authorization)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi, '$1$2[redacted]');
}
