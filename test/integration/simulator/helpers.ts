import { createHash, randomBytes } from 'node:crypto';
import { request } from 'undici';
import { startSimulator, type SimulatorHandle, type SimulatorOptions, type WorldInput } from '../../../local/simulator/index.js';

/**
 * Raw HTTP against the simulator: our own small Digest implementation and Bearer tokens from its
 * /api/oauth/token, so these tests check the wire, not a client library.
 */

export const P1 = '5e0000000000000000000001';
export const P2 = '5e0000000000000000000002';
export const P3 = '5e0000000000000000000003';
const id = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(24 - prefix.length, '0')}`;
export const S = { old: id('5eb1', 1), recent: id('5eb1', 2), running: id('5eb1', 3), failed: id('5eb1', 4), sharded: id('5eb2', 1) };
export const FLEX_SNAP = id('5eb3', 1);
export const TENANT_SNAP = id('5eb4', 1);
export const LEGACY_SNAP = id('5eb5', 1);
export const LEGACY_SH_SNAP = id('5eb5', 2);
export const CHECKPOINT = id('5ec5', 1);
export const UNKNOWN_ID = 'ffffffffffffffffffffffff';

export const ADMIN = { user: 'admin', pass: 'admin-private-key' };
export const READER = { user: 'reader', pass: 'reader-private-key' };
export const OPERATOR = { user: 'operator', pass: 'operator-private-key' };
export const SA = { clientId: 'mdb_sa_id_test', clientSecret: 'mdb_sa_sk_test-secret' };

/** 2026-01-15T12:00:00Z: every test sees the same clock. */
export const START = Date.UTC(2026, 0, 15, 12, 0, 0);
export const MIN = 60_000;
export const HOUR = 3_600_000;

export function testWorld(): WorldInput {
  return {
    projects: [
      {
        id: P1,
        name: 'one',
        clusters: [
          {
            name: 'src',
            dataVersion: 'src-v3',
            dataVersionSince: '-1h',
            pitWindowHours: 24,
            history: [
              { at: '-3d', dataVersion: 'src-v1' },
              { at: '-10h', dataVersion: 'src-v2' },
            ],
            snapshots: [
              { id: S.old, createdAt: '-20h' },
              { id: S.recent, createdAt: '-5h', snapshotType: 'onDemand' },
              { id: S.running, createdAt: '-10m', status: 'inProgress' },
              { id: S.failed, createdAt: '-3h', status: 'failed' },
            ],
          },
          { name: 'dst', dataVersion: 'dst-v0' },
          { name: 'other', dataVersion: 'other-v0' },
          { name: 'nopit', dataVersion: 'nopit-v0', snapshots: [{ id: id('5eb6', 1), createdAt: '-1h' }] },
          { name: 'shardsrc', sharded: true, shards: 3, dataVersion: 'shard-v1', pitWindowHours: 24, snapshots: [{ id: S.sharded, createdAt: '-4h' }] },
          { name: 'sharddst', sharded: true, shards: 3, dataVersion: 'sharddst-v0' },
          { name: 'flexsrc', kind: 'flex', dataVersion: 'flex-v1', snapshots: [{ id: FLEX_SNAP, createdAt: '-2h' }] },
          { name: 'flexdst', kind: 'flex', dataVersion: 'flexdst-v0' },
          { name: 'tenantsrc', kind: 'tenant', dataVersion: 'm2-v1', snapshots: [{ id: TENANT_SNAP, createdAt: '-2h' }] },
          { name: 'tenantdst', kind: 'tenant', dataVersion: 'm2dst-v0' },
          {
            name: 'legacyrs',
            legacyBackup: true,
            dataVersion: 'lrs-v2',
            dataVersionSince: '-3h',
            history: [{ at: '-2d', dataVersion: 'lrs-v1' }],
            snapshots: [{ id: LEGACY_SNAP, createdAt: '-6h' }],
          },
          {
            name: 'legacysh',
            legacyBackup: true,
            sharded: true,
            shards: 2,
            dataVersion: 'lsh-v2',
            dataVersionSince: '-1h',
            history: [{ at: '-2d', dataVersion: 'lsh-v1' }],
            snapshots: [{ id: LEGACY_SH_SNAP, createdAt: '-6h' }],
            checkpoints: [{ id: CHECKPOINT, timestamp: '-2h' }],
          },
          { name: 'ldst', sharded: true, shards: 2, dataVersion: 'ldst-v0' },
        ],
      },
      { id: P2, name: 'two', clusters: [{ name: 'dst2', dataVersion: 'dst2-v0' }] },
      { id: P3, name: 'three', clusters: [{ name: 'lonely', dataVersion: 'lonely-v0' }] },
    ],
    credentials: {
      apiKeys: [
        { publicKey: ADMIN.user, privateKey: ADMIN.pass, roles: { [P1]: ['PROJECT_OWNER'], [P2]: ['GROUP_OWNER'] } },
        { publicKey: READER.user, privateKey: READER.pass, roles: { '*': ['PROJECT_READ_ONLY'] } },
        { publicKey: OPERATOR.user, privateKey: OPERATOR.pass, roles: { [P1]: ['PROJECT_BACKUP_RECOVERY_OPERATOR'], [P2]: ['PROJECT_READ_ONLY'] } },
      ],
      serviceAccounts: [{ clientId: SA.clientId, clientSecret: SA.clientSecret, roles: { [P1]: ['PROJECT_OWNER'], [P2]: ['PROJECT_OWNER'] } }],
    },
  };
}

export function startTestSimulator(world: WorldInput = testWorld(), options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  return startSimulator(world, { clock: 'manual', startTime: START, ...options });
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed JSON body; `any` because tests read answers field by field. */
  json: any;
}

export interface CallOptions {
  authorization?: string;
  accept?: string | null;
  body?: unknown;
  rawBody?: string;
  contentType?: string;
}

export const V2023 = 'application/vnd.atlas.2023-01-01+json';
export const V2024 = 'application/vnd.atlas.2024-11-13+json';

export async function send(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.authorization) headers.authorization = options.authorization;
  if (options.accept !== null) headers.accept = options.accept ?? V2023;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const res = await request(`${baseUrl}${path}`, { method: method as 'GET', headers, ...(body !== undefined && { body }) });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

export function parseChallenge(header: string | string[] | undefined): Record<string, string> {
  const value = Array.isArray(header) ? (header.find((h) => h.startsWith('Digest')) ?? '') : (header ?? '');
  const out: Record<string, string> = {};
  for (const m of value.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) out[m[1] as string] = m[2] ?? m[3] ?? '';
  return out;
}

/** RFC 7616 Digest, qop=auth, written from the RFC (not shared with the simulator's code). */
export function digestHeader(
  challenge: Record<string, string>,
  creds: { user: string; pass: string },
  method: string,
  uri: string,
  nc = 1,
  algorithm = challenge.algorithm ?? 'MD5',
): string {
  const hash = (v: string) => createHash(algorithm.toUpperCase().startsWith('SHA-256') ? 'sha256' : 'md5').update(v).digest('hex');
  const cnonce = randomBytes(8).toString('hex');
  const ncHex = nc.toString(16).padStart(8, '0');
  const ha1 = hash(`${creds.user}:${challenge.realm}:${creds.pass}`);
  const ha2 = hash(`${method}:${uri}`);
  const response = hash(`${ha1}:${challenge.nonce}:${ncHex}:${cnonce}:auth:${ha2}`);
  return `Digest username="${creds.user}", realm="${challenge.realm}", nonce="${challenge.nonce}", uri="${uri}", algorithm=${algorithm}, qop=auth, nc=${ncHex}, cnonce="${cnonce}", response="${response}"`;
}

/** Challenge-then-answer for every call; re-answers once on stale=true. */
export async function digestCall(
  baseUrl: string,
  creds: { user: string; pass: string },
  method: string,
  path: string,
  options: Omit<CallOptions, 'authorization'> = {},
): Promise<Answer> {
  let first = await send(baseUrl, method, path, options);
  if (first.status !== 401) return first;
  for (let attempt = 0; attempt < 2; attempt++) {
    const challenge = parseChallenge(first.headers['www-authenticate']);
    const answer = await send(baseUrl, method, path, { ...options, authorization: digestHeader(challenge, creds, method, path) });
    if (answer.status !== 401 || parseChallenge(answer.headers['www-authenticate']).stale !== 'true') return answer;
    first = answer;
  }
  return first;
}

export async function token(baseUrl: string, clientId = SA.clientId, clientSecret = SA.clientSecret): Promise<Answer> {
  const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
  return send(baseUrl, 'POST', '/api/oauth/token', {
    authorization: `Basic ${basic}`,
    rawBody: 'grant_type=client_credentials',
    contentType: 'application/x-www-form-urlencoded',
    accept: 'application/json',
  });
}

/** A small typed wrapper tests use: admin Digest by default. */
export function api(sim: SimulatorHandle, creds = ADMIN) {
  const call = (method: string, path: string, options?: Omit<CallOptions, 'authorization'>) =>
    digestCall(sim.baseUrl, creds, method, `/api/atlas/v2${path}`, options);
  return {
    get: (path: string, options?: Omit<CallOptions, 'authorization'>) => call('GET', path, options),
    post: (path: string, body: unknown, options?: Omit<CallOptions, 'authorization' | 'body'>) => call('POST', path, { ...options, body }),
    delete: (path: string, options?: Omit<CallOptions, 'authorization'>) => call('DELETE', path, options),
  };
}

export const cloudJobs = (cluster = 'src', group = P1) => `/groups/${group}/clusters/${cluster}/backup/restoreJobs`;
