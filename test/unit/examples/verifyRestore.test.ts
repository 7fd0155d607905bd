import { describe, expect, it } from 'vitest';
import { judge, markerTime, readSettings, referenceTime, type CheckSettings } from '../../../examples/verify-restore/check.js';
import { verifyRestore, type VerifyDeps } from '../../../examples/verify-restore/index.js';

/**
 * The example verification function (examples/verify-restore/) without a MongoDB: its rules (counts
 * within bounds, the newest marker's age against the trigger) and its handler over fake ports.
 */

const TRIGGER = new Date('2026-11-30T03:00:00.000Z');
const minutesBefore = (m: number) => new Date(TRIGGER.getTime() - m * 60_000);
const settings: CheckSettings = readSettings(
  JSON.stringify({ database: 'shop', collections: { orders: { min: 1000 }, users: { min: 10, max: 500 } }, marker: { collection: 'heartbeats', maxAgeMinutes: 90 } }),
);

describe('judge', () => {
  it('passes when every count is within bounds and the newest marker is recent enough', () => {
    const verdict = judge(settings, { counts: { orders: 1000, users: 500 }, newestMarkerAt: minutesBefore(90) }, TRIGGER);
    expect(verdict).toEqual({ passed: true, counts: { orders: 1000, users: 500 }, newestMarkerAt: minutesBefore(90).toISOString(), failures: [] });
  });

  it('fails a collection below its minimum, one above its maximum, and one not counted', () => {
    expect(judge(settings, { counts: { orders: 999, users: 10 }, newestMarkerAt: TRIGGER }, TRIGGER).failures).toEqual(['shop.orders has 999 documents, fewer than 1000']);
    expect(judge(settings, { counts: { orders: 1000, users: 501 }, newestMarkerAt: TRIGGER }, TRIGGER).failures).toEqual(['shop.users has 501 documents, more than 500']);
    expect(judge(settings, { counts: { orders: 1000 }, newestMarkerAt: TRIGGER }, TRIGGER).failures).toEqual(['shop.users was not counted']);
  });

  it('fails a newest marker older than maxAgeMinutes before the trigger, and a missing one', () => {
    const old = judge(settings, { counts: { orders: 1000, users: 10 }, newestMarkerAt: minutesBefore(91) }, TRIGGER);
    expect(old.passed).toBe(false);
    expect(old.failures).toEqual([`the newest marker (${minutesBefore(91).toISOString()}) is 91 minutes older than the trigger, more than 90`]);
    expect(old.newestMarkerAt).toBe(minutesBefore(91).toISOString());
    expect(judge(settings, { counts: { orders: 1000, users: 10 } }, TRIGGER).failures).toEqual(['shop.heartbeats has no marker with a time in "at"']);
  });

  it('accepts a marker newer than the trigger (clock skew is not data loss)', () => {
    expect(judge(settings, { counts: { orders: 1000, users: 10 }, newestMarkerAt: new Date(TRIGGER.getTime() + 60_000) }, TRIGGER).passed).toBe(true);
  });
});

describe('settings and inputs', () => {
  it.each([
    [undefined, /VERIFY_CHECKS is not set/],
    ['{', /not valid JSON/],
    [JSON.stringify({ database: 'shop', collections: {} }), /VERIFY_CHECKS\.collections must name at least one collection/],
    [JSON.stringify({ database: 'shop', collections: { orders: { min: 5, max: 4 } } }), /VERIFY_CHECKS\.collections\.orders\.max max must be at least min/],
    [JSON.stringify({ database: 'a.b', collections: { orders: { min: 1 } } }), /VERIFY_CHECKS\.database must be a MongoDB database name/],
    [JSON.stringify({ database: 'shop', collections: { orders: { min: 1 } }, extra: 1 }), /VERIFY_CHECKS/],
  ])('refuses VERIFY_CHECKS %s', (text, message) => {
    expect(() => readSettings(text)).toThrow(message);
  });

  it('reads a marker time stored as a BSON date, an ISO string or epoch millis; nothing else', () => {
    expect(markerTime(TRIGGER)).toEqual(TRIGGER);
    expect(markerTime(TRIGGER.toISOString())).toEqual(TRIGGER);
    expect(markerTime(TRIGGER.getTime())).toEqual(TRIGGER);
    expect(markerTime('yesterday')).toBeUndefined();
    expect(markerTime({ $date: 1 })).toBeUndefined();
  });

  it("measures from the restore's trigger time, else now", () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(referenceTime({ restore: { trigger: { type: 'schedule', time: TRIGGER.toISOString() } } }, now)).toEqual(TRIGGER);
    expect(referenceTime({ restore: { trigger: { type: 'http' } } }, now)).toEqual(now);
    expect(referenceTime(undefined, now)).toEqual(now);
  });
});

describe('verifyRestore (the handler, over fake ports)', () => {
  const env = { VERIFY_SECRET_ID: 'staging/verify-user', VERIFY_CHECKS: JSON.stringify({ database: 'shop', collections: { orders: { min: 1 } }, marker: { collection: 'heartbeats', maxAgeMinutes: 60 } }) };
  const event = { restore: { trigger: { type: 'schedule', time: TRIGGER.toISOString() } }, status: {}, steps: {} };
  const deps = (o: Partial<VerifyDeps> & { seen?: unknown[] } = {}): VerifyDeps => ({
    readSecret: async () => JSON.stringify({ username: 'verifier', password: 's3cret-pw', host: 'staging.ab1cd.mongodb.net' }),
    readData: async (target) => {
      o.seen?.push(target);
      return { counts: { orders: 5 }, newestMarkerAt: minutesBefore(30) };
    },
    now: () => new Date('2026-12-01T00:00:00Z'),
    ...o,
  });

  it('answers passed, the counts and the newest marker, read from the host the secret names', async () => {
    const seen: unknown[] = [];
    expect(await verifyRestore(event, env, deps({ seen }))).toEqual({ passed: true, counts: { orders: 5 }, newestMarkerAt: minutesBefore(30).toISOString() });
    expect(seen).toEqual([{ uri: 'mongodb+srv://staging.ab1cd.mongodb.net/', user: { username: 'verifier', password: 's3cret-pw', host: 'staging.ab1cd.mongodb.net' } }]);
  });

  it('throws VerificationFailed naming each failed check (the orchestrator judges a step by failing)', async () => {
    const failing = deps({ readData: async () => ({ counts: { orders: 0 }, newestMarkerAt: minutesBefore(61) }) });
    const err = await verifyRestore(event, env, failing).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('VerificationFailed');
    expect((err as Error).message).toBe(`shop.orders has 0 documents, fewer than 1; the newest marker (${minutesBefore(61).toISOString()}) is 61 minutes older than the trigger, more than 60`);
  });

  it('takes the host from VERIFY_HOST when the secret has none, and refuses a host that is not a host name', async () => {
    const seen: { uri: string }[] = [];
    const noHost = { readSecret: async () => JSON.stringify({ username: 'verifier', password: 'pw' }) };
    await verifyRestore(event, { ...env, VERIFY_HOST: 'recovery.xy9.mongodb.net' }, deps({ ...noHost, seen }));
    expect(seen[0]!.uri).toBe('mongodb+srv://recovery.xy9.mongodb.net/');
    await verifyRestore(event, { ...env, VERIFY_HOST: 'mongodb://db1.internal:27017,db2.internal:27017/?replicaSet=rs0' }, deps({ ...noHost, seen }));
    expect(seen[1]!.uri).toBe('mongodb://db1.internal:27017,db2.internal:27017/?replicaSet=rs0');
    await expect(verifyRestore(event, env, deps(noHost))).rejects.toThrow(/none is set/);
    await expect(verifyRestore(event, { ...env, VERIFY_HOST: 'evil.net/?authSource=x' }, deps(noHost))).rejects.toThrow(/must be a host name such as/);
  });

  it('names a malformed secret by its fields, never its values, and keeps the password out of a driver error', async () => {
    const bad = await verifyRestore(event, env, deps({ readSecret: async () => JSON.stringify({ username: 'verifier', password: '' }) })).catch((e: Error) => e);
    expect((bad as Error).name).toBe('VerifySetupError');
    expect((bad as Error).message).toMatch(/"password"/);
    const leaky = deps({ readData: async () => Promise.reject(new Error('auth failed for verifier:s3cret-pw')) });
    const err = await verifyRestore(event, env, leaky).catch((e: Error) => e);
    expect((err as Error).message).toBe('could not read shop on mongodb+srv://staging.ab1cd.mongodb.net/: auth failed for verifier:***');
    await expect(verifyRestore(event, { VERIFY_CHECKS: env.VERIFY_CHECKS }, deps())).rejects.toThrow(/VERIFY_SECRET_ID is not set/);
  });
});
