import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  atlasProfileSecretName,
  connectionFromEnv,
  connectionFromSecretString,
  DEFAULT_BASE_URL,
  GOV_BASE_URL,
  loadConnectionFromSecretsManager,
  redact,
  resetSecretsProvider,
} from '../../../functions/core/atlas/credentials.js';
import { AtlasCredentialsInvalidError } from '../../../functions/core/domain/errors.js';
import { rejectionOf } from './helpers.js';

const PUB = 'abcdefgh';
const PRIV = '5f4dcc3b-5aa7-4e1b-8a7e-9c3f1d2e6b40';
const CID = 'mdb_sa_id_64f1c0ffee0123456789abcd';
const CSECRET = 'mdb_sa_sk_Zm9vYmFyLXNlY3JldC12YWx1ZQ';

/** Runs `fn`, expects AtlasCredentialsInvalidError, and returns its message. */
function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AtlasCredentialsInvalidError);
    expect((error as Error).name).toBe('AtlasCredentialsInvalid');
    return (error as Error).message;
  }
  throw new Error('expected AtlasCredentialsInvalidError');
}

function expectNoSecrets(message: string) {
  for (const secret of [PRIV, CSECRET, PUB, CID]) expect(message).not.toContain(secret);
}

describe('profile secret formats', () => {
  it('reads the Atlas CloudFormation profile', () => {
    expect(connectionFromSecretString(JSON.stringify({ PublicKey: PUB, PrivateKey: PRIV }))).toEqual({
      baseUrl: DEFAULT_BASE_URL,
      credentials: { type: 'digest', publicKey: PUB, privateKey: PRIV },
    });
  });

  it.each([
    [{ BaseUrl: 'https://cloud.mongodb.com/' }, DEFAULT_BASE_URL],
    [{ BaseURL: 'http://127.0.0.1:8080' }, 'http://127.0.0.1:8080'],
    [{ base_url: 'https://proxy.example.com/atlas/api/atlas/v2/' }, 'https://proxy.example.com/atlas'],
    [{ IsMongoDBGovCloud: true }, GOV_BASE_URL],
    [{ IsMongoDBGovCloud: 'true' }, GOV_BASE_URL],
    [{ IsMongoDBGovCloud: 'false' }, DEFAULT_BASE_URL],
    [{ IsMongoDBGovCloud: true, BaseUrl: 'http://localhost:9000' }, 'http://localhost:9000'],
  ])('picks the base URL from %j', (extra, baseUrl) => {
    expect(connectionFromSecretString(JSON.stringify({ PublicKey: PUB, PrivateKey: PRIV, ...extra })).baseUrl).toBe(baseUrl);
  });

  it('reads Terraform snake_case keys', () => {
    expect(connectionFromSecretString(JSON.stringify({ public_key: PUB, private_key: PRIV })).credentials).toEqual({ type: 'digest', publicKey: PUB, privateKey: PRIV });
    expect(connectionFromSecretString(JSON.stringify({ client_id: CID, client_secret: CSECRET })).credentials).toEqual({ type: 'oauth', clientId: CID, clientSecret: CSECRET });
  });

  it('reads service-account keys, which win over an API key in the same secret', () => {
    expect(connectionFromSecretString(JSON.stringify({ ClientId: CID, ClientSecret: CSECRET })).credentials.type).toBe('oauth');
    const both = connectionFromSecretString(JSON.stringify({ PublicKey: PUB, PrivateKey: PRIV, ClientId: CID, ClientSecret: CSECRET, IsMongoDBGovCloud: true }));
    expect(both).toEqual({ baseUrl: GOV_BASE_URL, credentials: { type: 'oauth', clientId: CID, clientSecret: CSECRET } });
  });

  it('treats blank values as missing and trims the rest', () => {
    const c = connectionFromSecretString(JSON.stringify({ PublicKey: ` ${PUB} `, PrivateKey: PRIV, ClientId: '', ClientSecret: '  ' }));
    expect(c.credentials).toEqual({ type: 'digest', publicKey: PUB, privateKey: PRIV });
  });

  it.each([
    [{ PublicKey: PUB }, 'missing PrivateKey'],
    [{ PrivateKey: PRIV }, 'missing PublicKey'],
    [{ ClientId: CID, PublicKey: PUB, PrivateKey: PRIV }, 'missing ClientSecret'],
    [{ client_secret: CSECRET }, 'missing ClientId'],
    [{}, 'missing PublicKey and PrivateKey (API key), or ClientId and ClientSecret (service account)'],
    [{ PublicKey: PUB, PrivateKey: 42 }, 'PrivateKey must be a string'],
    [{ PublicKey: PUB, PrivateKey: PRIV, IsMongoDBGovCloud: 'yes' }, 'IsMongoDBGovCloud must be true or false'],
    [{ PublicKey: PUB, PrivateKey: PRIV, BaseUrl: `https://${PUB}:${PRIV}@cloud.mongodb.com` }, 'BaseUrl must not carry a user name or password'],
    [{ PublicKey: PUB, PrivateKey: PRIV, BaseUrl: `not a url ${PRIV}` }, 'BaseUrl is not a valid URL'],
    [{ PublicKey: PUB, PrivateKey: PRIV, BaseUrl: 'ftp://cloud.mongodb.com' }, 'BaseUrl must be an http(s) URL'],
  ])('refuses %j naming the problem, never a value', (secret, problem) => {
    const message = failure(() => connectionFromSecretString(JSON.stringify(secret), 'secret "cfn/atlas/profile/default"'));
    expect(message).toContain(problem);
    expect(message).toContain('cfn/atlas/profile/default');
    expectNoSecrets(message);
  });

  it('refuses a secret that is not a JSON object without quoting it', () => {
    expectNoSecrets(failure(() => connectionFromSecretString(`PublicKey=${PUB} PrivateKey=${PRIV}`)));
    expect(failure(() => connectionFromSecretString(JSON.stringify([PUB, PRIV])))).toContain('not a JSON object');
  });

  it('names the profile secret as the Atlas CloudFormation resources do', () => {
    expect(atlasProfileSecretName()).toBe('cfn/atlas/profile/default');
    expect(atlasProfileSecretName('prod')).toBe('cfn/atlas/profile/prod');
  });
});

describe('environment variables', () => {
  it('reads an API key and a base URL', () => {
    expect(
      connectionFromEnv({ MONGODB_ATLAS_PUBLIC_API_KEY: PUB, MONGODB_ATLAS_PRIVATE_API_KEY: PRIV, MONGODB_ATLAS_BASE_URL: 'https://cloud.mongodbgov.com/' }),
    ).toEqual({ baseUrl: GOV_BASE_URL, credentials: { type: 'digest', publicKey: PUB, privateKey: PRIV } });
  });

  it('reads a service account', () => {
    expect(connectionFromEnv({ MONGODB_ATLAS_CLIENT_ID: CID, MONGODB_ATLAS_CLIENT_SECRET: CSECRET })).toEqual({
      baseUrl: DEFAULT_BASE_URL,
      credentials: { type: 'oauth', clientId: CID, clientSecret: CSECRET },
    });
  });

  it('names the missing variables', () => {
    const message = failure(() => connectionFromEnv({ MONGODB_ATLAS_PUBLIC_API_KEY: PUB }));
    expect(message).toContain('missing MONGODB_ATLAS_PRIVATE_API_KEY');
    expectNoSecrets(message);
    expect(failure(() => connectionFromEnv({}))).toContain('MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET');
  });
});

describe('redact', () => {
  it('removes every credential value and its Basic encoding', () => {
    const digest = { credentials: { type: 'digest' as const, publicKey: PUB, privateKey: PRIV } };
    expect(redact(`key ${PUB} secret ${PRIV} twice ${PRIV}`, digest)).toBe('key [redacted] secret [redacted] twice [redacted]');
    const oauth = { credentials: { type: 'oauth' as const, clientId: CID, clientSecret: CSECRET } };
    const basic = Buffer.from(`${CID}:${CSECRET}`).toString('base64');
    expect(redact(`Basic ${basic} and token tok-live-123`, oauth, ['tok-live-123'])).toBe('Basic [redacted] and token [redacted]');
  });
});

describe('Secrets Manager through Powertools', () => {
  const sm = mockClient(SecretsManagerClient);
  const NAME = atlasProfileSecretName('nightly');

  beforeEach(() => {
    sm.reset();
    resetSecretsProvider();
  });
  afterEach(() => vi.useRealTimers());

  it('reads the secret once for two loads within maxAge, and again after it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    sm.on(GetSecretValueCommand, { SecretId: NAME }).resolves({ SecretString: JSON.stringify({ PublicKey: PUB, PrivateKey: PRIV }) });
    const first = await loadConnectionFromSecretsManager(NAME);
    const second = await loadConnectionFromSecretsManager(NAME);
    expect(second).toEqual(first);
    expect(first.credentials).toEqual({ type: 'digest', publicKey: PUB, privateKey: PRIV });
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: NAME });

    vi.advanceTimersByTime(301_000);
    await loadConnectionFromSecretsManager(NAME);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('honours a shorter maxAge', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ ClientId: CID, ClientSecret: CSECRET }) });
    await loadConnectionFromSecretsManager(NAME, { maxAgeSeconds: 10 });
    vi.advanceTimersByTime(11_000);
    await loadConnectionFromSecretsManager(NAME, { maxAgeSeconds: 10 });
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('reports an unreadable secret by name and error type', async () => {
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    const error = await rejectionOf(loadConnectionFromSecretsManager(NAME));
    expect(error).toBeInstanceOf(AtlasCredentialsInvalidError);
    expect((error as Error).message).toBe(`Could not read Atlas credentials from secret "${NAME}": ResourceNotFoundException`);
  });

  it('reports a malformed secret by name without its content', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ PublicKey: PUB, Private: PRIV }) });
    const error = await rejectionOf(loadConnectionFromSecretsManager(NAME));
    expect(error).toBeInstanceOf(AtlasCredentialsInvalidError);
    expect(error.message).toContain(`secret "${NAME}"`);
    expect(error.message).toContain('missing PrivateKey');
    expectNoSecrets(error.message);
  });
});
