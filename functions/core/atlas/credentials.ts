import * as z from 'zod';
import { AtlasCredentialsInvalidError } from '../domain/errors.js';
import { baseUrlFromEnv, checkBaseUrl, DEFAULT_BASE_URL, GOV_BASE_URL } from './baseUrl.js';
import { redact as redactText } from '../domain/redact.js';
import { createRedactor } from './redaction.js';

/**
 * Where the Atlas keys come from and what they look like. Three sources, one result:
 * - the Atlas CloudFormation "profile" secret users already have (`cfn/atlas/profile/{name}`),
 *   also accepting Terraform's snake_case keys and service-account `ClientId`/`ClientSecret`;
 * - the `MONGODB_ATLAS_*` environment variables the Atlas CLI and Terraform read (local runs);
 * - Secrets Manager through Powertools Parameters, cached across warm invocations.
 *
 * When a source holds BOTH an API key pair and a service account, the service account wins:
 * MongoDB recommends service accounts and calls API keys "a legacy option", and a secret carrying
 * both is almost always half-way through a migration from the key to the account. Either way the
 * choice is deterministic and documented, never a guess per request.
 *
 * No error raised here ever quotes a value read from a secret or the environment: only key names.
 */

export { DEFAULT_BASE_URL, GOV_BASE_URL };

const SecretValue = z.string().min(1);

const AtlasCredentialsSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('digest'), publicKey: SecretValue, privateKey: SecretValue }),
  z.object({ type: z.literal('oauth'), clientId: SecretValue, clientSecret: SecretValue }),
]);
export type AtlasCredentials = z.infer<typeof AtlasCredentialsSchema>;

const AtlasConnectionSchema = z.object({ baseUrl: z.string().min(1), credentials: AtlasCredentialsSchema });
export type AtlasConnection = z.infer<typeof AtlasConnectionSchema>;

export function atlasProfileSecretName(profile = 'default'): string {
  return `cfn/atlas/profile/${profile}`;
}

/** The names one source uses for each field, used both to read and in error messages. */
interface FieldNames {
  publicKey: readonly string[];
  privateKey: readonly string[];
  clientId: readonly string[];
  clientSecret: readonly string[];
  baseUrl: readonly string[];
  govCloud: readonly string[];
}

const SECRET_FIELDS: FieldNames = {
  publicKey: ['PublicKey', 'public_key'],
  privateKey: ['PrivateKey', 'private_key'],
  clientId: ['ClientId', 'client_id'],
  clientSecret: ['ClientSecret', 'client_secret'],
  baseUrl: ['BaseUrl', 'BaseURL', 'base_url'],
  govCloud: ['IsMongoDBGovCloud', 'is_mongodbgov_cloud'],
};

const ENV_FIELDS: FieldNames = {
  publicKey: ['MONGODB_ATLAS_PUBLIC_API_KEY'],
  privateKey: ['MONGODB_ATLAS_PRIVATE_API_KEY'],
  clientId: ['MONGODB_ATLAS_CLIENT_ID'],
  clientSecret: ['MONGODB_ATLAS_CLIENT_SECRET'],
  // The base URL has its own precedence rules (./baseUrl.ts), applied in connectionFromEnv.
  baseUrl: [],
  govCloud: [],
};

type Source = Record<string, unknown>;

function fail(where: string, problem: string): never {
  throw new AtlasCredentialsInvalidError(`Atlas credentials in ${where} are not usable: ${problem}`);
}

/** The first non-blank string under any of `names`; a present non-string value is an error. */
function readString(source: Source, names: readonly string[], where: string): string | undefined {
  for (const name of names) {
    const value = source[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') fail(where, `${name} must be a string`);
    const trimmed = value.trim();
    if (trimmed !== '') return trimmed;
  }
  return undefined;
}

function readBoolean(source: Source, names: readonly string[], where: string): boolean {
  for (const name of names) {
    const value = source[name];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
    fail(where, `${name} must be true or false`);
  }
  return false;
}

/** A usable base URL (rules in ./baseUrl.ts), or an error naming the field that holds it. */
function normaliseBaseUrl(raw: string, where = 'the configuration', fieldName = 'BaseUrl'): string {
  const checked = checkBaseUrl(raw);
  if ('problem' in checked) fail(where, `${fieldName} ${checked.problem}`);
  return checked.url;
}

function connectionFrom(source: Source, names: FieldNames, where: string): AtlasConnection {
  const publicKey = readString(source, names.publicKey, where);
  const privateKey = readString(source, names.privateKey, where);
  const clientId = readString(source, names.clientId, where);
  const clientSecret = readString(source, names.clientSecret, where);
  const first = (list: readonly string[]) => list[0] as string;

  let credentials: AtlasCredentials;
  if (clientId !== undefined || clientSecret !== undefined) {
    // A half-filled service account is a mistake to report, not a reason to fall back silently.
    if (clientId === undefined) fail(where, `missing ${first(names.clientId)} (service account)`);
    if (clientSecret === undefined) fail(where, `missing ${first(names.clientSecret)} (service account)`);
    credentials = { type: 'oauth', clientId, clientSecret };
  } else if (publicKey !== undefined || privateKey !== undefined) {
    if (publicKey === undefined) fail(where, `missing ${first(names.publicKey)} (API key)`);
    if (privateKey === undefined) fail(where, `missing ${first(names.privateKey)} (API key)`);
    credentials = { type: 'digest', publicKey, privateKey };
  } else {
    fail(
      where,
      `missing ${first(names.publicKey)} and ${first(names.privateKey)} (API key), ` +
        `or ${first(names.clientId)} and ${first(names.clientSecret)} (service account)`,
    );
  }

  const rawBaseUrl = readString(source, names.baseUrl, where);
  const gov = readBoolean(source, names.govCloud, where);
  // An explicit base URL wins over the gov flag: it is the more specific statement.
  const baseUrl =
    rawBaseUrl !== undefined ? normaliseBaseUrl(rawBaseUrl, where, first(names.baseUrl)) : gov ? GOV_BASE_URL : DEFAULT_BASE_URL;
  return { baseUrl, credentials };
}

/**
 * Reads an Atlas profile secret (CloudFormation profile JSON, Terraform snake_case, or service
 * account keys). `where` names the source in error messages (e.g. the secret's name).
 */
export function connectionFromSecretString(secret: string, where = 'the Atlas secret'): AtlasConnection {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch {
    fail(where, 'the secret is not JSON (expected {"PublicKey", "PrivateKey"} or {"ClientId", "ClientSecret"})');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail(where, 'the secret is not a JSON object');
  return connectionFrom(parsed as Source, SECRET_FIELDS, where);
}

/**
 * Reads the variables the Atlas CLI and Terraform use, for local runs. Where Atlas is comes first:
 * a malformed URL is reported before missing keys, as it is the more dangerous mistake.
 */
export function connectionFromEnv(env: Record<string, string | undefined> = process.env): AtlasConnection {
  const { baseUrl } = baseUrlFromEnv(env);
  return { ...connectionFrom(env, ENV_FIELDS, 'the environment (MONGODB_ATLAS_*)'), baseUrl };
}

export interface LoadSecretOptions {
  /** How long a warm Lambda reuses the secret before reading it again. Default 300. */
  maxAgeSeconds?: number;
}

type SecretsProviderLike = { get(name: string, options?: { maxAge?: number }): Promise<unknown> };
let secretsProvider: SecretsProviderLike | undefined;

/** Tests: forget the provider (and with it Powertools' cache of secret values). */
export function resetSecretsProvider(): void {
  secretsProvider = undefined;
}

/**
 * Reads and parses the Atlas secret through Powertools' SecretsProvider, which keeps the value for
 * `maxAgeSeconds` across invocations of a warm Lambda. Loaded lazily so handlers and local runs
 * that take keys from the environment do not pay for the AWS SDK at start.
 */
export async function loadConnectionFromSecretsManager(secretName: string, options: LoadSecretOptions = {}): Promise<AtlasConnection> {
  const where = `secret "${secretName}"`;
  if (!secretsProvider) {
    const { SecretsProvider } = await import('@aws-lambda-powertools/parameters/secrets');
    secretsProvider = new SecretsProvider();
  }
  let value: unknown;
  try {
    value = await secretsProvider.get(secretName, { maxAge: options.maxAgeSeconds ?? 300 });
  } catch (error) {
    // The SDK's error names the failure (AccessDenied, ResourceNotFound); never the value.
    const name = error instanceof Error ? (error.cause instanceof Error ? error.cause.name : error.name) : 'unknown error';
    throw new AtlasCredentialsInvalidError(`Could not read Atlas credentials from ${where}: ${name}`);
  }
  if (value instanceof Uint8Array) value = new TextDecoder().decode(value);
  if (typeof value !== 'string') fail(where, 'the secret has no SecretString');
  return connectionFromSecretString(value, where);
}

/** Every credential value that must never be shown (./redaction.ts also catches their encodings). */
function secretValues(credentials: AtlasCredentials, extra: readonly string[]): string[] {
  const values = credentials.type === 'digest' ? [credentials.publicKey, credentials.privateKey] : [credentials.clientId, credentials.clientSecret];
  return [...values, ...extra];
}

/**
 * Replaces every credential value in `text` with `[redacted]`, in any case and encoding, and any
 * Authorization-like header value. The client runs every error message and every field copied
 * from an Atlas answer through this, so a key echoed back by a server (or a proxy) cannot reach a
 * log line or a workflow payload. `extra` adds live values such as a token.
 */
export function redact(text: string, connection: Pick<AtlasConnection, 'credentials'>, extra: readonly string[] = []): string {
  // One redactor: the known values first (in every encoding), then the rules every text passes.
  return redactText(createRedactor(secretValues(connection.credentials, extra))(text));
}
