import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Atlas signs a webhook alert when the alert's notification has a secret: header
 * `X-MMS-Signature` = Base64(HMAC-SHA1(secret, raw request body)). We recompute it over the exact
 * bytes received (never a re-serialised JSON) and compare in constant time, so neither a forged
 * body nor timing tells an attacker anything about the secret.
 */
export const SIGNATURE_HEADER = 'x-mms-signature';
export const EVENT_HEADER = 'x-mms-event';

/** What Atlas puts in X-MMS-Signature for this body (also what `alerts check` signs its test delivery with). */
export function alertSignature(secret: string, rawBody: Buffer): string {
  return createHmac('sha1', secret).update(rawBody).digest('base64');
}

/** True only for a well-formed signature of these exact bytes under this secret. */
export function signatureMatches(secret: string, rawBody: Buffer, signature: string | undefined): boolean {
  if (!signature || !secret) return false;
  const expected = Buffer.from(alertSignature(secret, rawBody), 'base64');
  let given: Buffer;
  try {
    given = Buffer.from(signature.trim(), 'base64');
  } catch {
    return false;
  }
  // timingSafeEqual throws on different lengths; a length mismatch is a mismatch (SHA-1 is always 20 bytes).
  return given.length === expected.length && timingSafeEqual(given, expected);
}
