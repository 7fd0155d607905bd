import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { MongoClient } from 'mongodb';
import * as z from 'zod';
import { judge, markerTime, readSettings, referenceTime, type CheckSettings, type Observed } from './check.js';
import { connectionString } from './connection.js';

/**
 * A post-restore verification step, ready to deploy as a Lambda function (Node.js 24): it reads a
 * database user from Secrets Manager, connects to the restored cluster with the official MongoDB
 * Node.js driver, counts documents and finds the newest marker (./check.ts has the rules).
 *
 * It answers `{ passed: true, counts, newestMarkerAt }` when every check passes; when one fails it
 * THROWS `VerificationFailed` naming each failed check, because the orchestrator judges a step by
 * whether it failed, not by what it returned: the restore then ends VERIFICATION_FAILED. The
 * `newestMarkerAt` it returns is what the restore history measures the RPO in the data with.
 *
 * Environment:
 *   VERIFY_SECRET_ID   the secret: {"username", "password"} and optionally "host"
 *   VERIFY_HOST        the restored cluster, when the secret has none: an SRV host name
 *                      (staging.ab1cd.mongodb.net) or a mongodb:// or mongodb+srv:// connection
 *                      string without credentials (./connection.ts)
 *   VERIFY_CHECKS      the checks, JSON (./check.ts, README.md)
 */

export class VerificationFailedError extends Error {
  override name = 'VerificationFailed';
}

/** A deployment mistake (a missing variable, a malformed secret): not a verdict on the data. */
export class VerifySetupError extends Error {
  override name = 'VerifySetupError';
}

const DatabaseUser = z.object({
  username: z.string().min(1),
  password: z.string().min(1),
  host: z.string().optional(),
});
export type DatabaseUser = z.infer<typeof DatabaseUser>;

export interface VerifyDeps {
  readSecret(secretId: string): Promise<string | undefined>;
  /** `uri` is a connection string without credentials (./connection.ts); the user goes to the driver apart. */
  readData(target: { uri: string; user: DatabaseUser }, settings: CheckSettings): Promise<Observed>;
  now(): Date;
}

export async function verifyRestore(event: unknown, env: NodeJS.ProcessEnv, deps: VerifyDeps) {
  const settings = readSettings(env.VERIFY_CHECKS);
  const secretId = env.VERIFY_SECRET_ID;
  if (!secretId) throw new VerifySetupError('VERIFY_SECRET_ID is not set: it names the secret holding the database user');
  const user = parseUser(await deps.readSecret(secretId), secretId);
  const host = user.host ?? env.VERIFY_HOST;
  if (!host) throw new VerifySetupError(`the cluster host (the secret's "host" or VERIFY_HOST) must be an SRV host name such as staging.ab1cd.mongodb.net or a connection string; none is set`);
  const uri = connectionString(host);
  const observed = await deps.readData({ uri, user }, settings).catch((err: unknown) => {
    // Driver errors do not carry the password today; make sure it stays that way in the step's report.
    const message = err instanceof Error ? err.message.split(user.password).join('***') : 'unknown error';
    throw new Error(`could not read ${settings.database} on ${uri}: ${message}`);
  });
  const verdict = judge(settings, observed, referenceTime(event, deps.now()));
  if (!verdict.passed) throw new VerificationFailedError(verdict.failures.join('; '));
  return { passed: true, counts: verdict.counts, ...(verdict.newestMarkerAt ? { newestMarkerAt: verdict.newestMarkerAt } : {}) };
}

function parseUser(text: string | undefined, secretId: string): DatabaseUser {
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? '');
  } catch {
    throw new VerifySetupError(`the secret ${secretId} must be JSON: {"username", "password"} and optionally "host"`);
  }
  const parsed = DatabaseUser.safeParse(raw);
  // The field names only: never the values, one of them is a password.
  if (!parsed.success) throw new VerifySetupError(`the secret ${secretId} must hold ${parsed.error.issues.map((i) => `"${i.path.join('.')}" (${i.message})`).join(', ')}`);
  return parsed.data;
}

/** The part of the driver's MongoClient this function uses, so a test can stand in for the driver. */
export type MongoClientClass = new (uri: string, options: ConstructorParameters<typeof MongoClient>[1]) => Pick<MongoClient, 'connect' | 'db' | 'close'>;

/** Counts and the newest marker, read with the official driver; the connection is closed every time. */
export async function readFromMongo(
  target: { uri: string; user: DatabaseUser },
  settings: CheckSettings,
  Client: MongoClientClass = MongoClient,
): Promise<Observed> {
  // Credentials through `auth`, not the URI: nothing to escape, nothing to leak in a logged URI.
  const client = new Client(target.uri, {
    auth: { username: target.user.username, password: target.user.password },
    appName: 'atlas-restore-verify',
    serverSelectionTimeoutMS: 20_000,
  });
  try {
    await client.connect();
    const db = client.db(settings.database);
    const counts: Record<string, number> = {};
    for (const name of Object.keys(settings.collections)) counts[name] = await db.collection(name).countDocuments({}, { maxTimeMS: 120_000 });
    const marker = settings.marker;
    if (!marker) return { counts };
    const newest = await db
      .collection(marker.collection)
      .find({ [marker.field]: { $exists: true } }, { projection: { _id: 0, [marker.field]: 1 }, maxTimeMS: 60_000 })
      .sort({ [marker.field]: -1 })
      .limit(1)
      .next();
    const at = markerTime(valueAt(newest, marker.field));
    return { counts, ...(at ? { newestMarkerAt: at } : {}) };
  } finally {
    await client.close();
  }
}

/** `a.b.c` in a document. */
function valueAt(doc: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), doc);
}

const secrets = new SecretsManagerClient({});

export const handler = (event: unknown) =>
  verifyRestore(event, process.env, {
    readSecret: async (secretId) => (await secrets.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString,
    readData: readFromMongo,
    now: () => new Date(),
  });
