import { afterEach, describe, expect, it } from 'vitest';
import { checkWebhookUrl, postWebhook, WebhookError, webhookUrlFromSecret, webhookUrlReader } from '../../../functions/core/notify/channels/webhook.js';
import { HANG, startHookServer, type HookServer } from './hookServer.js';

/** postWebhook against a real HTTP server on the loopback interface. */

const SECRET_PATH = '/services/T0001/B0002/XyZsecretToken123?key=hidden-value';
const noSleep = { sleep: async () => undefined, timeoutMs: 2_000 };

let server: HookServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WebhookError);
  return err as Error;
}

describe('postWebhook', () => {
  it('200: one POST of the JSON body', async () => {
    server = await startHookServer([200]);
    await postWebhook(`${server.base}${SECRET_PATH}`, { text: 'Atlas Restore Succeeded' }, noSleep);
    expect(server.received).toEqual([
      { method: 'POST', url: SECRET_PATH, contentType: 'application/json', headers: expect.any(Object), body: '{"text":"Atlas Restore Succeeded"}' },
    ]);
  });

  it('500 then 200: retried once, and succeeds', async () => {
    server = await startHookServer([500, 200]);
    const sleeps: number[] = [];
    await postWebhook(`${server.base}/hook`, { text: 'x' }, { sleep: async (ms) => void sleeps.push(ms) });
    expect(server.received).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it('500 twice: gives up after the one retry, naming the host and status, never the path or query', async () => {
    server = await startHookServer([500, 500, 500]);
    const err = await failure(postWebhook(`${server.base}${SECRET_PATH}`, { text: 'x' }, noSleep));
    expect(server.received).toHaveLength(2);
    expect(err.message).toContain('127.0.0.1');
    expect(err.message).toContain('500');
    expect(err.message).not.toContain('XyZsecretToken123');
    expect(err.message).not.toContain('hidden-value');
    expect(err.message).not.toContain('/services');
  });

  it('400: not retried (the URL or payload is wrong)', async () => {
    server = await startHookServer([400, 200]);
    const err = await failure(postWebhook(`${server.base}${SECRET_PATH}`, { text: 'x' }, noSleep));
    expect(server.received).toHaveLength(1);
    expect(err.message).toContain('answered 400');
    expect(err.message).not.toContain('XyZsecretToken123');
  });

  it('nobody listening: retried once, then an error naming the host only', async () => {
    server = await startHookServer([200]);
    const base = server.base;
    await server.close();
    server = undefined;
    const err = await failure(postWebhook(`${base}${SECRET_PATH}`, { text: 'x' }, noSleep));
    expect(err.message).toContain('could not be reached');
    expect(err.message).not.toContain('XyZsecretToken123');
  });

  it('https is required for any host but the loopback, before any request; the error names the host only', async () => {
    const err = await failure(postWebhook(`http://hooks.example.com${SECRET_PATH}`, { text: 'x' }, noSleep));
    expect(err.message).toContain('hooks.example.com');
    expect(err.message).toContain('https');
    expect(err.message).not.toContain('XyZsecretToken123');
    expect(err.message).not.toContain('hidden-value');
  });

  it('checkWebhookUrl: loopback http is allowed, other schemes and bad URLs are not (and the text is never echoed)', () => {
    expect(checkWebhookUrl('http://127.0.0.1:8080/x').hostname).toBe('127.0.0.1');
    expect(checkWebhookUrl('http://localhost/x').hostname).toBe('localhost');
    expect(checkWebhookUrl('https://hooks.slack.com/services/a/b/c').hostname).toBe('hooks.slack.com');
    expect(() => checkWebhookUrl('ftp://hooks.example.com/a')).toThrow(WebhookError);
    expect(() => checkWebhookUrl('not a url with secretToken')).toThrow(/does not hold a valid URL/);
    try {
      checkWebhookUrl('not a url with secretToken');
    } catch (e) {
      expect((e as Error).message).not.toContain('secretToken');
    }
  });
});

describe('webhookUrlFromSecret', () => {
  it('a plain URL, trimmed', () => {
    expect(webhookUrlFromSecret('  https://hooks.slack.com/services/a/b/c\n')).toBe('https://hooks.slack.com/services/a/b/c');
  });

  it('JSON {"url": ...}', () => {
    expect(webhookUrlFromSecret('{"url":"https://outlook.office.com/webhook/abc","note":"teams"}')).toBe('https://outlook.office.com/webhook/abc');
  });

  it('JSON without a url string, or broken JSON, is a WebhookError that does not echo the secret', () => {
    for (const secret of ['{"link":"https://x.example/secretA"}', '{"url": 5}', '{not json secretB']) {
      let err: unknown;
      try {
        webhookUrlFromSecret(secret);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(WebhookError);
      expect((err as Error).message).not.toMatch(/secret[AB]/);
    }
  });
});

describe('postWebhook: slow, throttled and chatty servers', () => {
  it('a server that never answers: each attempt ends at the timeout, then an error naming the host only', async () => {
    server = await startHookServer([HANG]);
    const err = await failure(postWebhook(`${server.base}${SECRET_PATH}`, { text: 'x' }, { sleep: async () => undefined, timeoutMs: 150 }));
    expect(server.received).toHaveLength(2);
    expect(err.message).toBe('The webhook at 127.0.0.1 did not answer within 150 ms');
  });

  it('429 then 200: throttling is retried once like a 5xx', async () => {
    server = await startHookServer([429, 200]);
    await postWebhook(`${server.base}/hook`, { text: 'x' }, noSleep);
    expect(server.received).toHaveLength(2);
  });

  it("passes on Slack's one-word error, and drops any other body (it might echo the URL)", async () => {
    server = await startHookServer([[404, 'no_service']]);
    expect((await failure(postWebhook(`${server.base}/hook`, {}, noSleep))).message).toBe('The webhook at 127.0.0.1 answered 404 (no_service)');
    await server.close();
    server = await startHookServer([[403, `denied for ${SECRET_PATH}`]]);
    const err = await failure(postWebhook(`${server.base}${SECRET_PATH}`, {}, noSleep));
    expect(err.message).toBe('The webhook at 127.0.0.1 answered 403');
  });

  it('sends the extra headers it is given (the report id) and a user agent', async () => {
    server = await startHookServer([200]);
    await postWebhook(`${server.base}/hook`, {}, noSleep, { 'x-atlas-restore-report-id': 'r-1/SUCCEEDED' });
    expect(server.received[0]?.headers['x-atlas-restore-report-id']).toBe('r-1/SUCCEEDED');
    expect(server.received[0]?.headers['user-agent']).toBe('atlas-restore-orchestrator');
  });
});

describe('webhookUrlReader', () => {
  const reader = (value: unknown, asked: unknown[] = []) => ({
    get: async (name: string, options?: { maxAge?: number }) => {
      asked.push([name, options]);
      return value;
    },
  });

  it('reads the named secret with a cache age, as a plain URL or JSON {"url"}', async () => {
    const asked: unknown[] = [];
    expect(await webhookUrlReader(reader('https://hooks.slack.com/services/a/b/c', asked))('restore/slack')).toBe('https://hooks.slack.com/services/a/b/c');
    expect(asked).toEqual([['restore/slack', { maxAge: 300 }]]);
    expect(await webhookUrlReader(reader('{"url":"https://example.org/hook"}'))('s')).toBe('https://example.org/hook');
    expect(await webhookUrlReader(reader(new TextEncoder().encode('https://example.org/bin')))('s')).toBe('https://example.org/bin');
  });

  it('takes a lazily built provider, built on first use', async () => {
    let built = 0;
    const lazy = async () => {
      built++;
      return reader('https://example.org/hook');
    };
    const read = webhookUrlReader(lazy);
    expect(built).toBe(0);
    expect(await read('s')).toBe('https://example.org/hook');
    expect(built).toBe(1);
  });

  it('an empty secret is a WebhookError naming the secret, not its value', async () => {
    await expect(webhookUrlReader(reader(undefined))('restore/slack')).rejects.toThrow(new WebhookError('Secret restore/slack holds no webhook URL'));
  });
});
