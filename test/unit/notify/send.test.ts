import { afterEach, describe, expect, it } from 'vitest';
import { buildReport, renderSlack, renderTeams, type RestoreReport } from '../../../functions/core/notify/message.js';
import { decideOutcome } from '../../../functions/core/notify/outcome.js';
import { REPORT_ID_HEADER, sendReport, type NotifyChannels } from '../../../functions/core/notify/send.js';
import { ENDED, ended } from './fixtures.js';
import { startHookServer, type HookServer } from './hookServer.js';

/** Every enabled channel gets the report; one failing never stops the others. Webhooks are real local servers. */

const SECRET_PATH = '/services/T0001/B0002/XyZsecretToken123';
const report: RestoreReport = buildReport(ended(), decideOutcome(ended()), ENDED);

let server: HookServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function setup(url: () => string, overrides: Partial<NotifyChannels> = {}) {
  const logs: unknown[][] = [];
  const got: string[] = [];
  const channels: NotifyChannels = {
    sns: async () => void got.push('sns'),
    eventBridge: async () => void got.push('eventBridge'),
    webhookUrl: async () => url(),
    ...overrides,
  };
  const options = {
    logger: { info: (...a: unknown[]) => void logs.push(a), warn: (...a: unknown[]) => void logs.push(a) },
    webhook: { sleep: async () => undefined, timeoutMs: 2_000 },
  };
  return { channels, options, logs, got };
}

describe('sendReport', () => {
  it.each([
    ['slack', renderSlack(report)],
    ['teams', renderTeams(report)],
    ['json', report],
  ] as const)('webhook format %s: posts that rendering with the report id header, next to SNS and EventBridge', async (format, body) => {
    server = await startHookServer([200]);
    const { channels, options, got } = setup(() => `${server!.base}${SECRET_PATH}`);
    const result = await sendReport(report, { sns: true, eventBridge: true, webhook: { format, secretName: 'hook' } }, channels, options);
    expect(result).toEqual({ delivered: ['sns', 'eventBridge', `webhook:${format}`], failed: [] });
    expect(got).toEqual(['sns', 'eventBridge']);
    expect(server.received).toHaveLength(1);
    expect(JSON.parse(server.received[0]!.body)).toEqual(body);
    expect(server.received[0]!.headers[REPORT_ID_HEADER]).toBe(report.reportId);
  });

  it('only the enabled channels are used', async () => {
    const { channels, options, got } = setup(() => 'unused');
    expect(await sendReport(report, { sns: false, eventBridge: true }, channels, options)).toEqual({ delivered: ['eventBridge'], failed: [] });
    expect(got).toEqual(['eventBridge']);
    expect(await sendReport(report, { sns: false, eventBridge: false }, channels, options)).toEqual({ delivered: [], failed: [] });
  });

  it('a webhook failing (500, retried once) is listed as failed while SNS and EventBridge deliver; no log holds the URL', async () => {
    server = await startHookServer([500]);
    const { channels, options, logs, got } = setup(() => `${server!.base}${SECRET_PATH}`);
    const result = await sendReport(report, { sns: true, eventBridge: true, webhook: { format: 'slack', secretName: 'hook' } }, channels, options);
    expect(result).toEqual({ delivered: ['sns', 'eventBridge'], failed: ['webhook:slack'] });
    expect(got).toEqual(['sns', 'eventBridge']);
    expect(server.received).toHaveLength(2);
    const logged = JSON.stringify(logs);
    expect(logged).toContain('webhook:slack');
    expect(logged).toContain('answered 500');
    expect(logged).not.toContain('XyZsecretToken123');
    expect(logged).not.toContain('/services');
  });

  it('a channel that throws synchronously, or a secret that cannot be read, fails that channel only', async () => {
    const { channels, options } = setup(
      () => {
        throw new Error('AccessDeniedException: not allowed to read the secret');
      },
      {
        sns: (() => {
          throw new TypeError('sns client broken');
        }) as NotifyChannels['sns'],
      },
    );
    const result = await sendReport(report, { sns: true, eventBridge: true, webhook: { format: 'json', secretName: 'hook' } }, channels, options);
    expect(result).toEqual({ delivered: ['eventBridge'], failed: ['sns', 'webhook:json'] });
  });
});
