import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { createAtlasClient, type AtlasClientEvent, type AtlasClientOptions } from '../../../functions/core/atlas/client.js';
import { backoffDelay, nextDelay, retryPolicy } from '../../../functions/core/atlas/retry.js';
import type { AtlasRequest } from '../../../functions/core/atlas/transport.js';
import {
  AtlasCreateOutcomeUnknownError,
  AtlasInvalidRequestError,
  AtlasThrottledError,
  AtlasUnavailableError,
} from '../../../functions/core/domain/errors.js';
import { atlasError, closedAfterEach, fakeTime, rejectionOf, sendJson, startServer, type Seen } from './helpers.js';

/** One scripted answer: a status (+ headers), or "destroy the socket after reading the request". */
type Step = { status: number; headers?: Record<string, string>; body?: unknown } | 'destroy';

const PATH = '/api/atlas/v2/groups/0123456789abcdef01234567/clusters/prod/backup/restoreJobs';
const GET: AtlasRequest = { method: 'GET', path: PATH, version: '2023-01-01' };
const POST: AtlasRequest = { method: 'POST', path: PATH, version: '2023-01-01', body: { deliveryType: 'download', snapshotId: '0123456789abcdef01234567' } };

describe('retries', () => {
  const open = closedAfterEach();

  /** A server that plays `steps` in order (the last one repeats); bearer auth keeps auth out of the way. */
  async function scripted(steps: Step[], options: Partial<AtlasClientOptions> = {}) {
    let i = 0;
    open.server = await startServer((seen: Seen, res: http.ServerResponse, req: http.IncomingMessage) => {
      if (seen.path === '/api/oauth/token') return sendJson(res, 200, { access_token: `t-${open.server!.port}`, expires_in: 3600 });
      const step = steps[Math.min(i++, steps.length - 1)]!;
      if (step === 'destroy') {
        req.socket.destroy();
        return;
      }
      const body = step.body ?? (step.status < 300 ? { id: 'job1' } : atlasError(step.status, `E${step.status}`, `scripted ${step.status}`));
      sendJson(res, step.status, body, step.headers);
    });
    const time = fakeTime();
    const events: AtlasClientEvent[] = [];
    open.client = createAtlasClient({
      baseUrl: open.server.url,
      credentials: { type: 'oauth', clientId: 'retry-client', clientSecret: 'retry-secret' },
      sleep: time.sleep,
      now: time.now,
      random: () => 0.5,
      onEvent: (e) => events.push(e),
      ...options,
    });
    const api = () => open.server!.seen.filter((s) => s.path === PATH);
    return { client: open.client, time, events, api };
  }

  it('honours Retry-After on 429 without really waiting', async () => {
    const { client, time, events, api } = await scripted([{ status: 429, headers: { 'retry-after': '2' } }, { status: 200 }]);
    const res = await client.request(GET);
    expect(res.body).toEqual({ id: 'job1' });
    expect(time.delays).toEqual([2000]);
    expect(api()).toHaveLength(2);
    expect(events.filter((e) => e.type === 'retry')).toEqual([{ type: 'retry', operation: `GET ${PATH}`, attempt: 1, delayMs: 2000, status: 429 }]);
  });

  it('backs off with full jitter when 429 carries no Retry-After, then 503', async () => {
    const { client, time } = await scripted([{ status: 429 }, { status: 503 }, { status: 200 }]);
    await client.request(GET);
    // random 0.5 × 500 × 2^(attempt-1)
    expect(time.delays).toEqual([250, 500]);
  });

  it('retries a 503 and then succeeds', async () => {
    const { client, api } = await scripted([{ status: 503 }, { status: 200 }]);
    expect((await client.request(GET)).status).toBe(200);
    expect(api()).toHaveLength(2);
  });

  it('gives up after maxAttempts with AtlasUnavailableError', async () => {
    const { client, api, time } = await scripted([{ status: 503 }]);
    const error = await rejectionOf(client.request(GET));
    expect(error).toBeInstanceOf(AtlasUnavailableError);
    expect((error as Error).message).toBe(`Atlas GET ${PATH} answered 503 E503: scripted 503 (gave up after 5 attempts)`);
    expect(api()).toHaveLength(5);
    expect(time.delays).toHaveLength(4);
  });

  it('gives up on repeated 429 with AtlasThrottledError carrying Retry-After', async () => {
    const { client, api } = await scripted([{ status: 429, headers: { 'retry-after': '1' } }], { retry: { maxAttempts: 3 } });
    const error = await rejectionOf(client.request(GET));
    expect(error).toBeInstanceOf(AtlasThrottledError);
    expect((error as AtlasThrottledError).retryAfterSeconds).toBe(1);
    expect((error as Error).name).toBe('AtlasThrottled');
    expect(api()).toHaveLength(3);
  });

  it('hands a Retry-After longer than the remaining budget straight back', async () => {
    const { client, api, time } = await scripted([{ status: 429, headers: { 'retry-after': '120' } }, { status: 200 }]);
    const error = await rejectionOf(client.request(GET));
    expect(error).toBeInstanceOf(AtlasThrottledError);
    expect((error as AtlasThrottledError).retryAfterSeconds).toBe(120);
    expect(api()).toHaveLength(1);
    expect(time.delays).toEqual([]);
  });

  it('stops when the total time budget is spent', async () => {
    const { client, api, time } = await scripted([{ status: 503 }], {
      random: () => 1,
      retry: { maxAttempts: 10, baseDelayMs: 400, totalBudgetMs: 1000 },
    });
    await expect(client.request(GET)).rejects.toBeInstanceOf(AtlasUnavailableError);
    // 400, then 600 (capped from 800 by the 600 left), then the budget is gone
    expect(time.delays).toEqual([400, 600]);
    expect(api()).toHaveLength(3);
  });

  it('does not retry a 400', async () => {
    const { client, api } = await scripted([{ status: 400 }, { status: 200 }]);
    await expect(client.request(GET)).rejects.toBeInstanceOf(AtlasInvalidRequestError);
    expect(api()).toHaveLength(1);
  });

  it('retries a GET after a 500 and after a dropped connection', async () => {
    const { client, api } = await scripted([{ status: 500 }, 'destroy', { status: 200 }]);
    expect((await client.request(GET)).status).toBe(200);
    expect(api()).toHaveLength(3);
  });

  it('retries a DELETE (cancel) whose connection dropped', async () => {
    const { client } = await scripted(['destroy', { status: 204 }]);
    const res = await client.request({ method: 'DELETE', path: `${PATH}/0123456789abcdef01234567`, version: '2023-01-01' });
    expect(res).toMatchObject({ status: 204, body: undefined });
    expect(open.server!.seen.filter((s) => s.method === 'DELETE')).toHaveLength(2);
  });

  // A 503 too: a gateway may answer it after Atlas already took the body.
  it.each([500, 502, 503, 504])('never re-sends a POST answered %i: AtlasCreateOutcomeUnknownError after ONE POST', async (status) => {
    const { client, api, time } = await scripted([{ status }, { status: 200 }]);
    const error = await rejectionOf(client.request(POST));
    expect(error).toBeInstanceOf(AtlasCreateOutcomeUnknownError);
    expect((error as Error).name).toBe('AtlasCreateOutcomeUnknown');
    expect((error as Error).message).toContain(`Atlas POST ${PATH} answered ${status} E${status}`);
    expect((error as Error).message).toContain('listing the restore jobs');
    expect(api().filter((s) => s.method === 'POST')).toHaveLength(1);
    expect(time.delays).toEqual([]);
  });

  it('never re-sends a POST whose connection died after the request arrived', async () => {
    const { client, api } = await scripted(['destroy', { status: 200 }]);
    const error = await rejectionOf(client.request(POST));
    expect(error).toBeInstanceOf(AtlasCreateOutcomeUnknownError);
    expect((error as Error).message).toContain('failed after the request was sent');
    expect(api()).toHaveLength(1);
    expect(api()[0]!.body).toBe(JSON.stringify(POST.body));
  });

  it('re-sends a POST answered 429 (the rate limiter refused it before Atlas processed it)', async () => {
    const { client, api } = await scripted([{ status: 429, headers: { 'retry-after': '1' } }, { status: 200 }]);
    expect((await client.request(POST)).body).toEqual({ id: 'job1' });
    expect(api().filter((s) => s.method === 'POST')).toHaveLength(2);
  });

  it('re-sends a POST whose connection was refused (nothing was written)', async () => {
    const closed = await startServer(() => {});
    const { url } = closed;
    await closed.close();
    const time = fakeTime();
    const events: AtlasClientEvent[] = [];
    open.client = createAtlasClient({
      baseUrl: url,
      credentials: { type: 'digest', publicKey: 'pub-refused', privateKey: 'priv-refused' },
      sleep: time.sleep,
      now: time.now,
      retry: { maxAttempts: 3 },
      onEvent: (e) => events.push(e),
    });
    const error = await rejectionOf(open.client.request(POST));
    expect(error).toBeInstanceOf(AtlasUnavailableError);
    expect((error as Error).message).toMatch(/ECONNREFUSED.*gave up after 3 attempts/);
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2);
  });
});

describe('retry policy', () => {
  const policy = retryPolicy();

  it('caps full-jitter backoff at maxDelayMs', () => {
    expect([1, 2, 3, 6, 10].map((n) => backoffDelay(policy, n, () => 1))).toEqual([500, 1000, 2000, 16000, 20000]);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });

  it('refuses to wait past the attempt limit or the budget', () => {
    expect(nextDelay(policy, 5, 0, { retry: true, reason: 'unavailable' }, () => 1)).toBeUndefined();
    expect(nextDelay(policy, 1, 60_000, { retry: true, reason: 'unavailable' }, () => 1)).toBeUndefined();
    expect(nextDelay(policy, 1, 59_000, { retry: true, reason: 'throttled', retryAfterSeconds: 1 }, () => 1)).toBe(1000);
    expect(nextDelay(policy, 1, 59_500, { retry: true, reason: 'throttled', retryAfterSeconds: 1 }, () => 1)).toBeUndefined();
  });
});
