import { describe, expect, it } from 'vitest';
import { redact } from '../../../functions/core/atlas/credentials.js';
import { createRedactor, redactDeep } from '../../../functions/core/atlas/redaction.js';
import { echoVariants } from './helpers.js';

const PUB = 'pubkey7788';
const PRIV = 'f00dcafe-1234-4abc-9def-0123456789ab';
const CLIENT_ID = 'mdb_sa_id_0123456789abcdef01234567';
const SECRET = 'mdb_sa_sk_s3cr3t/value+never logged';
const digest = { credentials: { type: 'digest', publicKey: PUB, privateKey: PRIV } } as const;
const oauth = { credentials: { type: 'oauth', clientId: CLIENT_ID, clientSecret: SECRET } } as const;

/** True when `text` still holds `value` in any of the shapes a server could echo it in. */
function leaks(text: string, value: string): string[] {
  return echoVariants(value).filter((variant) => text.includes(variant));
}

describe('redact', () => {
  it.each([
    ['the private key', digest, PRIV],
    ['the public key', digest, PUB],
    ['the client secret', oauth, SECRET],
    ['the client id', oauth, CLIENT_ID],
  ] as const)('removes %s in every case and encoding, alone and inside longer text', (_what, connection, value) => {
    for (const variant of echoVariants(value)) {
      const text = `before ${variant} after; glued:x${variant}y`;
      const cleaned = redact(text, connection);
      expect(leaks(cleaned, value), `variant ${variant}`).toEqual([]);
      expect(cleaned).toContain('[redacted]');
      expect(cleaned.startsWith('before ')).toBe(true);
    }
  });

  it('removes base64 of id:secret (Basic) and of the secret at every offset inside a longer encoded text', () => {
    const pair = Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64');
    for (const prefix of ['', 'a', 'ab', 'abc', 'other-user:']) {
      const encoded = Buffer.from(`${prefix}${SECRET.toUpperCase()}`).toString('base64');
      const cleaned = redact(`got ${encoded} and Basic ${pair}`, oauth);
      // The characters that encode the secret itself (past the prefix, before the last group).
      expect(cleaned).not.toContain(encoded.slice(16, -4));
      expect(cleaned).not.toContain(pair.slice(4, -4));
    }
  });

  it('removes whole Authorization and WWW-Authenticate values, whatever they hold', () => {
    const header = `Digest username="${PUB}", realm="MMS Public API", nonce="bm9uY2U=", uri="/api/atlas/v2/x", algorithm=MD5, response="0123456789abcdef0123456789abcdef", qop=auth, nc=00000001, cnonce="c0ffee00c0ffee00"`;
    const texts = [
      `refused Authorization: ${header} (try again)`,
      JSON.stringify({ headers: { authorization: header } }),
      `WWW-Authenticate: Bearer realm="MMS Public API", error="invalid_token", error_description="token tok-123-xyz revoked"`,
      'the header was Bearer eyJhbGciOi.J9eyJzdWIi.OiIxMjM0',
      'the header was Basic dXNlcjpwYXNzd29yZA==',
    ];
    for (const text of texts) {
      const cleaned = createRedactor([])(text);
      expect(cleaned).toContain('[redacted]');
      for (const part of ['0123456789abcdef0123456789abcdef', 'c0ffee00c0ffee00', 'tok-123-xyz', 'eyJhbGciOi', 'dXNlcjpwYXNzd29yZA']) expect(cleaned).not.toContain(part);
    }
    expect(createRedactor([])('refused Authorization: x (try again)')).toBe('refused Authorization: [redacted]');
  });

  it('leaves ordinary words alone', () => {
    const text = 'Atlas GET /api/atlas/v2/groups/65f1a0000000000000000001/clusters answered 404: a basic tier cluster has no digest of snapshots';
    expect(redact(text, digest)).toBe(text);
    expect(redact('short keys like "ab" are not secrets', { credentials: { type: 'digest', publicKey: 'ab', privateKey: 'cd' } })).toBe(
      'short keys like "ab" are not secrets',
    );
  });

  it('redactDeep cleans every string and key of a structured field', () => {
    const clean = createRedactor([PRIV]);
    expect(redactDeep([PRIV.toUpperCase(), { [PRIV]: [1, `x ${encodeURIComponent(PRIV)}`] }], clean)).toEqual([
      '[redacted]',
      { '[redacted]': [1, 'x [redacted]'] },
    ]);
  });
});
