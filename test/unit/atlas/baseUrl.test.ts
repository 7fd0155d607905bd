import { describe, expect, it } from 'vitest';
import { baseUrlFromEnv, DEFAULT_BASE_URL, GOV_BASE_URL } from '../../../functions/core/atlas/baseUrl.js';
import { connectionFromEnv } from '../../../functions/core/atlas/credentials.js';
import { AtlasCredentialsInvalidError } from '../../../functions/core/domain/errors.js';

const KEYS = { MONGODB_ATLAS_PUBLIC_API_KEY: 'abcdefgh', MONGODB_ATLAS_PRIVATE_API_KEY: '5f4dcc3b-5aa7-4e1b-8a7e-9c3f1d2e6b40' };
const SIM = 'http://127.0.0.1:8090';
const OTHER = 'http://127.0.0.1:9000';

function refusal(env: Record<string, string>): string {
  try {
    baseUrlFromEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AtlasCredentialsInvalidError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('which Atlas a local run talks to', () => {
  it('is Atlas when no variable says otherwise', () => {
    expect(baseUrlFromEnv({})).toEqual({ baseUrl: DEFAULT_BASE_URL, from: 'default', ignored: [] });
    expect(baseUrlFromEnv({ MONGODB_ATLAS_OPS_MANAGER_URL: '  ', MONGODB_ATLAS_BASE_URL: '' })).toEqual({ baseUrl: DEFAULT_BASE_URL, from: 'default', ignored: [] });
  });

  it('follows the Atlas CLI variable, MONGODB_ATLAS_OPS_MANAGER_URL', () => {
    expect(baseUrlFromEnv({ MONGODB_ATLAS_OPS_MANAGER_URL: SIM })).toEqual({ baseUrl: SIM, from: 'MONGODB_ATLAS_OPS_MANAGER_URL', ignored: [] });
  });

  it("follows Terraform's MONGODB_ATLAS_BASE_URL when the Atlas CLI's is unset", () => {
    expect(baseUrlFromEnv({ MONGODB_ATLAS_BASE_URL: SIM })).toEqual({ baseUrl: SIM, from: 'MONGODB_ATLAS_BASE_URL', ignored: [] });
  });

  it('prefers MONGODB_ATLAS_OPS_MANAGER_URL over MONGODB_ATLAS_BASE_URL and says the other was ignored', () => {
    expect(baseUrlFromEnv({ MONGODB_ATLAS_BASE_URL: OTHER, MONGODB_ATLAS_OPS_MANAGER_URL: SIM })).toEqual({
      baseUrl: SIM,
      from: 'MONGODB_ATLAS_OPS_MANAGER_URL',
      ignored: ['MONGODB_ATLAS_BASE_URL'],
    });
    // The same URL spelled with a trailing slash is agreement, not a conflict.
    expect(baseUrlFromEnv({ MONGODB_ATLAS_BASE_URL: SIM, MONGODB_ATLAS_OPS_MANAGER_URL: `${SIM}/` }).ignored).toEqual([]);
  });

  it('goes to Atlas for Government on MONGODB_ATLAS_SERVICE=cloudgov, unless a URL variable is set', () => {
    expect(baseUrlFromEnv({ MONGODB_ATLAS_SERVICE: 'cloudgov' })).toEqual({ baseUrl: GOV_BASE_URL, from: 'MONGODB_ATLAS_SERVICE', ignored: [] });
    expect(baseUrlFromEnv({ MONGODB_ATLAS_SERVICE: 'cloud' }).baseUrl).toBe(DEFAULT_BASE_URL);
    expect(baseUrlFromEnv({ MONGODB_ATLAS_SERVICE: 'cloudgov', MONGODB_ATLAS_OPS_MANAGER_URL: SIM })).toEqual({
      baseUrl: SIM,
      from: 'MONGODB_ATLAS_OPS_MANAGER_URL',
      ignored: ['MONGODB_ATLAS_SERVICE'],
    });
  });

  it.each([
    [`${SIM}/`, SIM],
    [`${SIM}///`, SIM],
    [`${SIM}/api/atlas/v2/`, SIM],
    ['https://cloud.mongodb.com/', DEFAULT_BASE_URL],
    [' https://atlas.example.com/prefix/ ', 'https://atlas.example.com/prefix'],
  ])('trims %j to %j', (raw, expected) => {
    expect(baseUrlFromEnv({ MONGODB_ATLAS_OPS_MANAGER_URL: raw }).baseUrl).toBe(expected);
  });

  it.each([
    ['MONGODB_ATLAS_OPS_MANAGER_URL', 'localhost:8090', 'MONGODB_ATLAS_OPS_MANAGER_URL must be an http(s) URL'],
    ['MONGODB_ATLAS_OPS_MANAGER_URL', '127.0.0.1:8090', 'MONGODB_ATLAS_OPS_MANAGER_URL is not a valid URL'],
    ['MONGODB_ATLAS_OPS_MANAGER_URL', 'not a url', 'MONGODB_ATLAS_OPS_MANAGER_URL is not a valid URL'],
    ['MONGODB_ATLAS_BASE_URL', 'ftp://cloud.mongodb.com', 'MONGODB_ATLAS_BASE_URL must be an http(s) URL'],
    ['MONGODB_ATLAS_BASE_URL', 'https://cloud.mongodb.com/?x=1', 'MONGODB_ATLAS_BASE_URL must not carry a query or fragment'],
    ['MONGODB_ATLAS_OPS_MANAGER_URL', 'https://abcdefgh:s3cr3t-value@cloud.mongodb.com', 'MONGODB_ATLAS_OPS_MANAGER_URL must not carry a user name or password'],
  ])('refuses %s=%j in one line naming the variable, without quoting it', (name, value, message) => {
    const text = refusal({ [name]: value });
    expect(text.slice(0, message.length)).toBe(message);
    expect(text).toContain('http://127.0.0.1:8090/'); // says what a good one looks like
    expect(text).not.toContain('\n');
    expect(text).not.toContain('s3cr3t-value');
  });

  it('refuses a malformed URL even in the variable that would lose', () => {
    expect(refusal({ MONGODB_ATLAS_OPS_MANAGER_URL: SIM, MONGODB_ATLAS_BASE_URL: 'htp:/oops' })).toMatch(/^MONGODB_ATLAS_BASE_URL /);
  });

  it('refuses an unknown MONGODB_ATLAS_SERVICE', () => {
    expect(refusal({ MONGODB_ATLAS_SERVICE: 'opsmanager' })).toBe('MONGODB_ATLAS_SERVICE must be cloud or cloudgov (Atlas for Government)');
  });

  it('is what connectionFromEnv connects to, and a bad URL is reported before missing keys', () => {
    expect(connectionFromEnv({ ...KEYS, MONGODB_ATLAS_OPS_MANAGER_URL: `${SIM}/`, MONGODB_ATLAS_BASE_URL: OTHER }).baseUrl).toBe(SIM);
    expect(connectionFromEnv({ ...KEYS, MONGODB_ATLAS_SERVICE: 'cloudgov' }).baseUrl).toBe(GOV_BASE_URL);
    expect(connectionFromEnv(KEYS).baseUrl).toBe(DEFAULT_BASE_URL);
    expect(() => connectionFromEnv({ MONGODB_ATLAS_OPS_MANAGER_URL: 'nope' })).toThrow(/^MONGODB_ATLAS_OPS_MANAGER_URL is not a valid URL/);
  });
});
