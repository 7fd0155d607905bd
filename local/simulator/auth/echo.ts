import { SimApiError } from '../errors.js';

/**
 * A careless server: the fault `echoCredentials` answers with an error that repeats what the
 * request carried, in every shape a proxy, a logger or a framework has been seen to produce, so
 * a client's redaction can be tested against something that really tries to leak.
 */

/** One credential in the shapes it may come back in. */
function echoShapes(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const alternating = [...value].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c.toLowerCase())).join('');
  return [
    value,
    value.toUpperCase(),
    value.toLowerCase(),
    alternating,
    encodeURIComponent(value),
    [...bytes].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
    bytes.toString('base64'),
    bytes.toString('base64url'),
    Buffer.from(value.toUpperCase(), 'utf8').toString('base64'),
  ];
}

/** The text of an echoing error: every shape of every credential, and the header values themselves. */
function echoDetail(credentials: readonly string[], authorization: string | undefined): string {
  const parts = credentials.flatMap(echoShapes);
  // id:secret pairs as Basic carries them, for every two credentials of the same caller.
  for (let i = 0; i + 1 < credentials.length; i++) parts.push(Buffer.from(`${credentials[i]}:${credentials[i + 1]}`).toString('base64'));
  if (authorization) parts.push(`Authorization: ${authorization}`, `authorization=${encodeURIComponent(authorization)}`);
  const first = credentials[0];
  if (first) parts.push(`WWW-Authenticate: Bearer realm="MMS Public API", error="invalid_token", error_description="credential ${first} refused"`);
  return `Request refused; it carried: ${parts.join(' ; ')}`;
}

/** The Admin API shape: the echo in detail, parameters and field descriptions. */
export function echoingApiError(status: number, credentials: readonly string[], authorization: string | undefined): SimApiError {
  const detail = echoDetail(credentials, authorization);
  const parameters: unknown[] = [...credentials.flatMap(echoShapes), { authorization: authorization ?? null }];
  return new SimApiError(status, 'SIMULATED_ECHO', detail, parameters, [{ field: 'authorization', description: detail }]);
}

/** The OAuth token endpoint's shape (RFC 6749 §5.2). */
export function echoingTokenError(credentials: readonly string[], authorization: string | undefined): { error: string; error_description: string } {
  return { error: 'invalid_client', error_description: echoDetail(credentials, authorization) };
}
