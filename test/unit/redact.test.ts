import { describe, expect, it } from 'vitest';
import { baseUrlFromEnv } from '../../functions/core/atlas/baseUrl.js';
import { redact as redactAtlas } from '../../functions/core/atlas/credentials.js';
import { MAX_REDACTED_LENGTH, redact, redactDeep } from '../../functions/core/domain/redact.js';
import { describeAtlasTarget } from '../../local/commands/atlasTarget.js';

/** The one redactor (functions/core/domain/redact.ts): each form of secret the issue names. */

describe('redact', () => {
  it.each([
    ['mongodb+srv userinfo', 'mongodb+srv://app:S3cretPw@c0.abcd.mongodb.net/db', 'S3cretPw', 'mongodb+srv://[redacted]@c0.abcd.mongodb.net/db'],
    ['mongodb userinfo', 'uri mongodb://app:S3cretPw@h1:27017,h2:27017/db', 'S3cretPw', 'uri mongodb://[redacted]@h1:27017,h2:27017/db'],
    ['JSON password', '{"user":"a","password":"S3cretPw"}', 'S3cretPw', '{"user":"a","password":"[redacted]"}'],
    ['JSON apiKey, escaped quotes', '{\\"apiKey\\": \\"k-12345\\"}', 'k-12345', '{\\"apiKey\\": \\"[redacted]\\"}'],
    ['key=value token', 'retry with token=abc123def&x=1', 'abc123def', 'retry with token=[redacted]&x=1'],
    ['key: value secret', 'secret: hush-hush', 'hush-hush', 'secret: [redacted]'],
    ['bearer token', 'sent Bearer eyJhbGciOi.eyJzdWIi.c2ln', 'eyJhbGciOi', 'sent Bearer [redacted]'],
  ])('%s', (_name, text, secret, expected) => {
    expect(redact(text)).toBe(expected);
    expect(redact(text)).not.toContain(secret);
  });

  it('leaves ordinary words alone and caps the size', () => {
    expect(redact('password is not set; a basic tier cluster; token expired')).toBe('password is not set; a basic tier cluster; token expired');
    expect(redact('x'.repeat(10_000))).toHaveLength(MAX_REDACTED_LENGTH);
  });

  it('redactDeep: every string and every secret-named key, however deep; kept keys stay whole', () => {
    const out = redactDeep({ apiKey: 'k1', nested: { list: ['password=p1', { token: 42 }] }, downloads: [{ url: 'https://s3/x?X-Amz-Signature=1' }] }, ['downloads']);
    expect(out).toEqual({ apiKey: '[redacted]', nested: { list: ['password=[redacted]', { token: '[redacted]' }] }, downloads: [{ url: 'https://s3/x?X-Amz-Signature=1' }] });
  });

  it("is the same redactor the Atlas client uses (plus its own credential values)", () => {
    const connection = { credentials: { type: 'digest' as const, publicKey: 'pubkeyAAAA', privateKey: 'privkeyBBBB' } };
    expect(redactAtlas('echo pubkeyAAAA and mongodb://u:pw1234@h/db', connection)).toBe('echo [redacted] and mongodb://[redacted]@h/db');
  });

  it('the CLI heading does not print a secret placed in MONGODB_ATLAS_BASE_URL', () => {
    const heading = describeAtlasTarget(baseUrlFromEnv({ MONGODB_ATLAS_BASE_URL: 'https://proxy.example.com/t0ken-in-path-123/' }));
    expect(heading).not.toContain('t0ken-in-path-123');
    expect(heading).toContain('https://proxy.example.com');
  });
});
