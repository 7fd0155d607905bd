import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { putReportEvent } from '../core/notify/channels/eventbridge.js';
import { publishReport } from '../core/notify/channels/sns.js';
import { webhookUrlReader, type SecretReader } from '../core/notify/channels/webhook.js';
import { MemoryDeliveryLedger } from '../core/notify/ledger.js';
import { notifyRestoreStep, type NotifyChannels, type NotifyDeps } from '../core/finish/finishRestore.js';
import { replayUndelivered, type ReplayResult } from '../core/notify/undelivered.js';
import { ENV } from '../core/domain/observability.js';
import { MemoryTargetHolds } from '../core/orchestrate/holds.js';
import { MemoryTargetLocks } from '../core/orchestrate/locks.js';
import type { NotifyResult } from '../core/workflow/contract.js';
import { alertWaiters } from '../runtime/alertWaiters.js';
import { localNotifyChannels } from '../runtime/local.js';
import { notifyEnvironment } from '../runtime/notifyEnvironment.js';
import { powertools } from '../runtime/powertools.js';

/** Step Functions task NotifyRestore: see functions/core/finish/finishRestore.ts. */
const { logger, stepMetrics } = powertools();
let channels: NotifyChannels | undefined;

/**
 * SNS, EventBridge and Secrets Manager, once per container. The topic and bus come from the
 * environment lib/notifications.ts sets; a missing one fails its channel only, not the report.
 */
export function awsNotifyChannels(env: NodeJS.ProcessEnv = process.env): NotifyChannels {
  const sns = new SNSClient({});
  const events = new EventBridgeClient({});
  let secrets: Promise<SecretReader> | undefined;
  return {
    async sns(report, text, signal) {
      const topicArn = env[ENV.topicArn];
      if (!topicArn) throw new Error(`${ENV.topicArn} is not set on the notify function`);
      await publishReport(sns, topicArn, report, text, signal);
    },
    eventBridge: (report, signal) => putReportEvent(events, env[ENV.eventBusName] || 'default', report, signal),
    // Built on the first webhook only (most restores have none). The bundle still loads the Secrets
    // Manager client at start: CDK bundles one file, where esbuild hoists external imports.
    webhookUrl: webhookUrlReader(
      () => (secrets ??= import('@aws-lambda-powertools/parameters/secrets').then(({ SecretsProvider }) => new SecretsProvider())),
    ),
  };
}

/**
 * An operator's replay of a report kept after a channel missed it (`{"replayReport": "<reportId>"}`,
 * the id the ReportUndelivered log line names): sent to the channels still missing it, once each.
 */
async function replay(reportId: string): Promise<ReplayResult | { reportId: string; found: false }> {
  const env = await notifyEnvironment();
  const result = await replayUndelivered(reportId, {
    store: env.undelivered,
    ledger: env.ledger,
    now: env.now,
    channels: localNotifyChannels() ?? (channels ??= awsNotifyChannels()),
    logger,
  });
  for (const channel of result?.failed ?? []) logger.warn('ReportUndelivered: the replay did not reach this channel; the report stays kept', { reportId, channel });
  return result ?? { reportId, found: false };
}

export const handler = async (payload: unknown, context?: Context): Promise<NotifyResult> => {
  if (context) logger.addContext(context);
  const replayReport = (payload as { replayReport?: unknown } | null)?.replayReport;
  // Not a step's input (those never carry replayReport): answered as the replay, not a NotifyResult.
  if (typeof replayReport === 'string') return (await replay(replayReport)) as never;
  const restoreId = (payload as { restore?: { restoreId?: unknown } } | null)?.restore?.restoreId;
  if (typeof restoreId === 'string') logger.appendKeys({ restoreId });
  try {
    return await notifyRestoreStep(payload, {
      ...(await environment()),
      // Each channel's call ends well before the function's timeout, so the records are written.
      ...(context ? { remainingMs: () => context.getRemainingTimeInMillis() } : {}),
      channels: localNotifyChannels() ?? (channels ??= awsNotifyChannels()),
      // Read only for a restore with push on, whose stack gives notify the waiters table (lib/push.ts).
      alertWaiters,
      logger,
      metrics: stepMetrics,
    });
  } finally {
    logger.resetKeys();
  }
};

/**
 * A broken environment (plans not inlined, lock table unreachable) must not cost the report: it
 * goes out on every channel, even one that took it on an earlier try.
 */
async function environment(): Promise<Pick<NotifyDeps, 'plans' | 'locks' | 'ledger' | 'undelivered' | 'holds' | 'history' | 'now'>> {
  try {
    return await notifyEnvironment();
  } catch (err) {
    logger.error('Notify environment incomplete: reporting with the restore context only', { errorName: (err as Error)?.name, errorMessage: (err as Error)?.message });
    return { plans: { protectedTargets: [], plans: [] }, locks: new MemoryTargetLocks(), ledger: new MemoryDeliveryLedger(), holds: new MemoryTargetHolds(), now: () => new Date() };
  }
}
