import { afterEach, describe, expect, it } from 'vitest';
import { restoreView } from '../../../functions/core/api/follow.js';
import { buildReport, renderText, type RestoreReport } from '../../../functions/core/notify/message.js';
import { decideOutcome } from '../../../functions/core/notify/outcome.js';
import { sendReport, type NotifyChannels } from '../../../functions/core/notify/send.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import type { NotifyInput } from '../../../functions/core/workflow/contract.js';
import { ENDED, PROD_GROUP, context, download, ended, status } from './fixtures.js';
import { startHookServer, type HookServer } from './hookServer.js';

/** Pre-signed links go only where the plan says (default: the SNS topic and GET /restores/{id}), and the report says where. */

const URL = 'https://restore-bucket.s3.amazonaws.com/snap.tar.gz?X-Amz-Signature=abc123';
const downloadRun = (notify: object): NotifyInput =>
  ended({
    restore: context({ request: download, notify: { sns: true, eventBridge: true, ...notify } }),
    status: status({ atlasStatus: 'download ready', delivery: { urls: [URL], expiresAt: '2026-03-01T05:00:00Z' } }),
  });

let server: HookServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function send(input: NotifyInput) {
  const report = buildReport(input, decideOutcome(input), ENDED);
  const got: Record<string, RestoreReport & { text?: string }> = {};
  server = await startHookServer([200]);
  const channels: NotifyChannels = {
    sns: async (r, text) => void (got.sns = { ...r, text }),
    eventBridge: async (r) => void (got.eventBridge = r),
    webhookUrl: async () => `${server!.base}/hook`,
  };
  const logger = { info: () => undefined, warn: () => undefined };
  await sendReport(report, input.restore!.notify, channels, { logger, webhook: { sleep: async () => undefined, timeoutMs: 2_000 } });
  return { got, webhookBody: server.received[0]?.body ?? '' };
}

describe('download links by channel', () => {
  it('default (no downloadLinks in the context): SNS carries them, EventBridge and the webhook do not; each says where they went', async () => {
    const { got, webhookBody } = await send(downloadRun({ webhook: { format: 'json', secretName: 'hook' } }));
    expect(got.sns!.downloads.map((d) => d.url)).toEqual([URL]);
    expect(got.sns!.text).toContain(URL);
    expect(got.eventBridge!.downloads).toEqual([]);
    expect(JSON.stringify(got.eventBridge)).not.toContain('X-Amz-Signature');
    expect(webhookBody).not.toContain('X-Amz-Signature');
    for (const r of [got.sns!, got.eventBridge!]) expect(r.downloadLinksTo).toEqual(['sns', 'api']);
    expect(got.sns!.text).toContain('Download links sent to: the SNS topic, GET /restores/{id}');
  });

  it('a plan that chooses EventBridge only: SNS and the API go without', async () => {
    const input = downloadRun({ downloadLinks: ['eventBridge'] });
    const { got } = await send(input);
    expect(got.eventBridge!.downloads.map((d) => d.url)).toEqual([URL]);
    expect(got.sns!.downloads).toEqual([]);
    expect(got.sns!.text).not.toContain('X-Amz-Signature');
    expect(got.sns!.downloadLinksTo).toEqual(['eventBridge']);
    const view = restoreView(
      { restoreId: 'r', executionArn: 'a', status: 'SUCCEEDED', startedAt: undefined, stoppedAt: undefined, input: {}, failure: undefined },
      { state: { restore: input.restore!, status: input.status!, poll: input.poll! }, notified: undefined, stepInProgress: false },
    );
    expect(JSON.stringify(view)).not.toContain('X-Amz-Signature');
  });

  it('the API keeps them by default', () => {
    const input = downloadRun({});
    const view = restoreView(
      { restoreId: 'r', executionArn: 'a', status: 'SUCCEEDED', startedAt: undefined, stoppedAt: undefined, input: {}, failure: undefined },
      { state: { restore: input.restore!, status: input.status!, poll: input.poll! }, notified: undefined, stepInProgress: false },
    );
    expect(JSON.stringify(view)).toContain('X-Amz-Signature');
  });

  it('a report without links is unchanged (no "sent to" line)', () => {
    const report = buildReport(ended(), decideOutcome(ended()), ENDED);
    expect(report.downloadLinksTo).toBeUndefined();
    expect(renderText(report)).not.toContain('Download links');
  });

  it('plans default to the SNS topic and the API, and name only known channels', () => {
    const plan = { name: 'dl', source: { kind: 'cloud', groupId: PROD_GROUP, clusterName: 'prod' }, restore: { type: 'download' } };
    expect(PlansConfig.parse({ plans: [plan] }).plans[0]!.notify.downloadLinks).toEqual(['sns', 'api']);
    expect(PlansConfig.safeParse({ plans: [{ ...plan, notify: { downloadLinks: ['email'] } }] }).success).toBe(false);
  });
});
