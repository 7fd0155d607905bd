import { describe, expect, it } from 'vitest';
import { createAlertConfig, updateAlertConfig } from '../../../functions/core/atlas/alertConfigs.js';
import { createAtlasClient } from '../../../functions/core/atlas/client.js';
import { AtlasInvalidRequestError } from '../../../functions/core/domain/errors.js';
import { acceptAnyDigest, atlasError, closedAfterEach, echoText, expectNothingLeaked, sendJson, startServer } from './helpers.js';

/**
 * A server (or proxy) that echoes what it received in an error must not put the webhook secret
 * into our error: the secret is taken out in every encoding before the error leaves the call.
 */

const SECRET = 'whsec-unit-5a4b3c2d1e0f';
const wanted = { eventTypeName: 'CPS_RESTORE_SUCCESSFUL', enabled: true, webhookUrl: 'https://receiver.example.com/alerts', webhookSecret: SECRET } as const;

describe('alert configuration calls keep the webhook secret out of errors', () => {
  const open = closedAfterEach();

  async function echoingServer() {
    open.server = await startServer(
      acceptAnyDigest((seen, res) =>
        sendJson(res, 400, atlasError(400, 'INVALID_ATTRIBUTE', `Invalid body ${seen.body} ${echoText([SECRET])}`, { parameters: [seen.body, echoText([SECRET])] })),
      ),
    );
    open.client = createAtlasClient({ baseUrl: open.server.url, credentials: { type: 'digest', publicKey: 'pub1234', privateKey: 'priv-5678-abcd' } });
    return open.client;
  }

  it('on create', async () => {
    const client = await echoingServer();
    const error = await createAlertConfig(client, 'aaaaaaaaaaaaaaaaaaaaaaaa', wanted).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtlasInvalidRequestError);
    // The secret did go out (in the body, where it belongs): only the error is cleaned.
    expect(open.server!.seen.at(-1)!.body).toContain(SECRET);
    expectNothingLeaked(error, [SECRET]);
    expect(String((error as Error).stack)).not.toContain(SECRET);
  });

  it('on update', async () => {
    const client = await echoingServer();
    const error = await updateAlertConfig(client, 'aaaaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbbbbbb', wanted).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtlasInvalidRequestError);
    expect(JSON.parse(open.server!.seen.at(-1)!.body)).toEqual({
      eventTypeName: 'CPS_RESTORE_SUCCESSFUL',
      enabled: true,
      notifications: [{ typeName: 'WEBHOOK', webhookUrl: 'https://receiver.example.com/alerts', webhookSecret: SECRET }],
    });
    expectNothingLeaked(error, [SECRET]);
  });
});
