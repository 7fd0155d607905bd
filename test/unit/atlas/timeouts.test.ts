import { describe, it, onTestFinished } from 'vitest';
import { createAtlasClient, type AtlasClientOptions } from '../../../functions/core/atlas/client.js';
import { AtlasCreateOutcomeUnknownError, AtlasUnavailableError } from '../../../functions/core/domain/errors.js';
import { acceptAnyDigest, fakeTime, rejectionOf, startServer, type Handler } from './helpers.js';

// undici runs its header/body timers at about one-second resolution, so each case here takes ~1 s
// whatever the (short) timeout: the cases run concurrently, in a file apart from the instant ones.
const JOBS = '/api/atlas/v2/groups/0123456789abcdef01234567/clusters/prod/backup/restoreJobs';

describe.concurrent('timeouts', () => {
  async function serve(answer: Handler, options: Partial<AtlasClientOptions>) {
    const server = await startServer(acceptAnyDigest(answer));
    const time = fakeTime();
    const client = createAtlasClient({
      baseUrl: server.url,
      credentials: { type: 'digest', publicKey: 'pub-timeouts', privateKey: 'priv-timeouts' },
      sleep: time.sleep,
      now: time.now,
      ...options,
    });
    onTestFinished(async () => {
      await client.close();
      await server.close();
    });
    return { client, api: () => server.seen.filter((s) => s.headers.authorization !== undefined) };
  }

  it('turns a server that never answers headers into AtlasUnavailableError for a GET, after retrying', async ({ expect }) => {
    const { client, api } = await serve(() => {}, { timeouts: { headersMs: 100 }, retry: { maxAttempts: 2 } });
    const error = await rejectionOf(client.request({ method: 'GET', path: JOBS, version: '2023-01-01' }));
    expect(error).toBeInstanceOf(AtlasUnavailableError);
    expect(error.message).toContain('UND_ERR_HEADERS_TIMEOUT');
    expect(error.message).toContain('gave up after 2 attempts');
    expect(api()).toHaveLength(2);
  });

  it('turns the same silence after a POST into AtlasCreateOutcomeUnknownError, sent once', async ({ expect }) => {
    const { client, api } = await serve(() => {}, { timeouts: { headersMs: 100 } });
    const error = await rejectionOf(client.request({ method: 'POST', path: JOBS, version: '2023-01-01', body: {} }));
    expect(error).toBeInstanceOf(AtlasCreateOutcomeUnknownError);
    expect(api()).toHaveLength(1);
  });

  it('times out a body that stops half way', async ({ expect }) => {
    const { client } = await serve(
      (_seen, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"results": [');
      },
      { timeouts: { bodyMs: 100 }, retry: { maxAttempts: 1 } },
    );
    const error = await rejectionOf(client.request({ method: 'GET', path: JOBS, version: '2023-01-01' }));
    expect(error).toBeInstanceOf(AtlasUnavailableError);
    expect(error.message).toContain('UND_ERR_BODY_TIMEOUT');
  });
});
