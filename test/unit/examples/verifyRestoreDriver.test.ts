import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildVerifyRestore } from '../../../examples/verify-restore/build.js';
import type { CheckSettings } from '../../../examples/verify-restore/check.js';
import { connectionString } from '../../../examples/verify-restore/connection.js';
import { readFromMongo, type MongoClientClass } from '../../../examples/verify-restore/index.js';

/**
 * examples/verify-restore beyond its rules: where it connects (host names and both kinds of
 * connection string, never with credentials in them), what it reads through a stand-in for the
 * driver that answers as MongoDB does, and that its bundle builds to the ignored folder and loads.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('connectionString', () => {
  it.each([
    ['staging.ab1cd.mongodb.net', 'mongodb+srv://staging.ab1cd.mongodb.net/'],
    ['mongodb+srv://staging.ab1cd.mongodb.net', 'mongodb+srv://staging.ab1cd.mongodb.net/'],
    ['mongodb+srv://staging.ab1cd.mongodb.net/?retryWrites=true', 'mongodb+srv://staging.ab1cd.mongodb.net/?retryWrites=true'],
    ['mongodb://db1.internal:27017,db2.internal:27018/?replicaSet=rs0&tls=true', 'mongodb://db1.internal:27017,db2.internal:27018/?replicaSet=rs0&tls=true'],
    ['mongodb://localhost:27017', 'mongodb://localhost:27017/'],
    ['mongodb://10.0.0.5', 'mongodb://10.0.0.5/'],
  ])('takes %s', (given, uri) => {
    expect(connectionString(given)).toBe(uri);
  });

  it.each([
    ['mongodb+srv://verifier:hunter2@staging.ab1cd.mongodb.net/', /must not hold a user or password/],
    ['mongodb://db1:27017/shop', /must not name a database/],
    ['mongodb+srv://a.example.net:27017/', /exactly one host name, without a port/],
    ['mongodb+srv://a.example.net,b.example.net/', /exactly one host name/],
    ['mongodb://db1:99999/', /host\[:port\] entries/],
    ['mongodb://db1:27017,,db2/', /host\[:port\] entries/],
    ['evil.net/?authSource=x', /must be a host name such as/],
    ['https://staging.ab1cd.mongodb.net/', /must be a host name such as/],
  ])('refuses %s', (given, rule) => {
    expect(() => connectionString(given)).toThrow(rule);
  });

  it('never echoes what follows an @ in a refused value', () => {
    const err = (() => {
      try {
        connectionString('postgres://verifier:hunter2@db/');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.name).toBe('VerifySetupError');
    expect(err?.message).not.toContain('hunter2');
  });
});

/** BSON's order across types, as MongoDB sorts mixed values: numbers < strings < objects < arrays < booleans < dates. */
function typeRank(v: unknown): number {
  if (v === null) return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (v instanceof Date) return 9;
  if (typeof v === 'boolean') return 8;
  if (Array.isArray(v)) return 5;
  return 4;
}
function compare(a: unknown, b: unknown): number {
  const rank = typeRank(a) - typeRank(b);
  if (rank) return rank;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return 0;
}
const at = (doc: Record<string, unknown>, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), doc);

/**
 * A stand-in for the driver over an in-memory database, answering the calls the function makes
 * the way MongoDB does: countDocuments counts, find takes `{field: {$exists: true}}` and a
 * projection, sort orders across BSON types, next() gives the first document or null.
 */
function fakeDriver(data: Record<string, Record<string, Record<string, unknown>[]>>, opts: { failConnect?: Error } = {}) {
  const log = { uris: [] as string[], auth: [] as unknown[], closed: 0, connected: 0 };
  class FakeClient {
    constructor(uri: string, options: { auth?: unknown } = {}) {
      log.uris.push(uri);
      log.auth.push(options.auth);
    }
    async connect() {
      if (opts.failConnect) throw opts.failConnect;
      log.connected++;
      return this;
    }
    async close() {
      log.closed++;
    }
    db(name: string) {
      const collections = data[name] ?? {};
      return {
        collection: (coll: string) => {
          const docs = collections[coll] ?? [];
          return {
            countDocuments: async (filter: object) => {
              expect(filter).toEqual({});
              return docs.length;
            },
            find: (filter: Record<string, { $exists?: boolean }>, options: { projection?: Record<string, 0 | 1> } = {}) => {
              const [field, cond] = Object.entries(filter)[0]!;
              let found = docs.filter((d) => (at(d, field) !== undefined) === (cond.$exists ?? true));
              const cursor = {
                sort(spec: Record<string, 1 | -1>) {
                  const [key, dir] = Object.entries(spec)[0]!;
                  found = [...found].sort((a, b) => dir * compare(at(a, key), at(b, key)));
                  return cursor;
                },
                limit(n: number) {
                  found = found.slice(0, n);
                  return cursor;
                },
                async next() {
                  const doc = found[0];
                  if (!doc) return null;
                  const keep = Object.entries(options.projection ?? {}).filter(([, v]) => v === 1).map(([k]) => k);
                  return keep.length ? Object.fromEntries(keep.map((k) => [k, doc[k]])) : doc;
                },
              };
              return cursor;
            },
          };
        },
      };
    }
  }
  return { Client: FakeClient as unknown as MongoClientClass, log };
}

const settings: CheckSettings = { database: 'shop', collections: { orders: {} as never, users: {} as never }, marker: { collection: 'heartbeats', field: 'at', maxAgeMinutes: 60 } };
const user = { username: 'verifier', password: 's3cret-pw' };

describe('readFromMongo, through a driver that answers as MongoDB does', () => {
  it('counts each collection and finds the newest marker, a BSON date sorting above strings and numbers', async () => {
    const newest = new Date('2026-12-01T02:59:00Z');
    const { Client, log } = fakeDriver({
      shop: {
        orders: [{ _id: 1 }, { _id: 2 }, { _id: 3 }],
        users: [{ _id: 1 }],
        heartbeats: [{ at: new Date('2026-12-01T01:00:00Z') }, { at: '2026-12-31T00:00:00Z' }, { at: 9e15 }, { at: newest }, { other: 1 }],
      },
    });
    const observed = await readFromMongo({ uri: 'mongodb://db1:27017/', user }, settings, Client);
    expect(observed).toEqual({ counts: { orders: 3, users: 1 }, newestMarkerAt: newest });
    expect(log.uris).toEqual(['mongodb://db1:27017/']);
    expect(log.auth).toEqual([{ username: 'verifier', password: 's3cret-pw' }]);
    expect(log.closed).toBe(1);
  });

  it('reports no marker time when the marker collection is empty, and closes the client when connecting fails', async () => {
    const empty = fakeDriver({ shop: { orders: [], users: [], heartbeats: [] } });
    expect(await readFromMongo({ uri: 'mongodb://db1/', user }, settings, empty.Client)).toEqual({ counts: { orders: 0, users: 0 } });
    const failing = fakeDriver({}, { failConnect: new Error('connection refused') });
    await expect(readFromMongo({ uri: 'mongodb://db1/', user }, settings, failing.Client)).rejects.toThrow('connection refused');
    expect(failing.log.closed).toBe(1);
  });
});

describe('the bundle', () => {
  it('builds to the ignored dist/ folder and loads inside the repository', async () => {
    const outdir = await buildVerifyRestore();
    expect(outdir).toBe(join(ROOT, 'examples/verify-restore/dist'));
    const { stdout: ignored } = await promisify(execFile)('git', ['check-ignore', 'examples/verify-restore/dist/index.js'], { cwd: ROOT });
    expect(ignored.trim()).toBe('examples/verify-restore/dist/index.js');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-e', "const m = require('./examples/verify-restore/dist/index.js'); console.log(typeof m.handler, typeof m.readFromMongo)"],
      { cwd: ROOT },
    );
    expect(stdout.trim()).toBe('function function');
  });
});
