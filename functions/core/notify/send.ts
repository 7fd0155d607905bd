import type { StepLogger } from '../orchestrate/deps.js';
import type { RestoreContext } from '../workflow/contract.js';
import { postWebhook, type WebhookOptions } from './channels/webhook.js';
import { reportFor } from './downloadLinks.js';
import { renderText, renderWebhook, type RestoreReport } from './message.js';

/**
 * Sends one report to every channel the restore enabled but those told to skip (they took it
 * already), all at once; one channel failing never stops the others. Channel names, as NotifyResult
 * lists them: "sns", "eventBridge", "webhook:slack" | "webhook:teams" | "webhook:json".
 */

/** Where reports go: the Lambda wires SNS, EventBridge and Secrets Manager; local runs record them. */
export interface NotifyChannels {
  sns(report: RestoreReport, text: string): Promise<void>;
  eventBridge(report: RestoreReport): Promise<void>;
  /** The webhook URL kept in this secret (a credential: never logged). */
  webhookUrl(secretName: string): Promise<string>;
}

export type NotifySettings = RestoreContext['notify'];

export interface Delivery {
  delivered: string[];
  failed: string[];
}

export interface SendOptions {
  logger: StepLogger;
  webhook?: WebhookOptions;
  /** Channels that already took this report (./ledger.ts): not sent to again. */
  skip?: ReadonlySet<string>;
  /**
   * Called as soon as one channel took the report, not once all are done: a function killed while
   * a webhook hangs has then recorded what SNS and EventBridge took. Must not throw.
   */
  onDelivered?: (channel: string) => Promise<void>;
}

const CHANNEL = { sns: 'sns', eventBridge: 'eventBridge', webhook: (format: string) => `webhook:${format}` } as const;

/** The channels a restore enables, by the names NotifyResult and the delivery ledger use. */
export function enabledChannels(settings: NotifySettings): string[] {
  return [
    ...(settings.sns ? [CHANNEL.sns] : []),
    ...(settings.eventBridge ? [CHANNEL.eventBridge] : []),
    ...(settings.webhook ? [CHANNEL.webhook(settings.webhook.format)] : []),
  ];
}

/** Lets a JSON webhook receiver drop a repeat the way EventBridge rules do. */
export const REPORT_ID_HEADER = 'x-atlas-restore-report-id';

export async function sendReport(
  report: RestoreReport,
  settings: NotifySettings,
  channels: NotifyChannels,
  options: SendOptions,
): Promise<Delivery> {
  const sends: [string, () => Promise<void>][] = [];
  // Each channel gets the links only if the plan chose it (./downloadLinks.ts).
  const sns = reportFor(report, 'sns', settings);
  if (settings.sns) sends.push([CHANNEL.sns, () => channels.sns(sns, renderText(sns))]);
  if (settings.eventBridge) sends.push([CHANNEL.eventBridge, () => channels.eventBridge(reportFor(report, 'eventBridge', settings))]);
  const hook = settings.webhook;
  if (hook) {
    sends.push([
      CHANNEL.webhook(hook.format),
      async () =>
        postWebhook(await channels.webhookUrl(hook.secretName), renderWebhook(hook.format, reportFor(report, 'webhook', settings)), options.webhook, {
          [REPORT_ID_HEADER]: report.reportId,
        }),
    ]);
  }
  const pending = sends.filter(([channel]) => !options.skip?.has(channel));
  // Each send is wrapped so a synchronous throw is a failed channel too, not a lost report.
  const results = await Promise.allSettled(
    pending.map(async ([channel, send]) => {
      await send();
      await options.onDelivered?.(channel);
    }),
  );
  const delivery: Delivery = { delivered: [], failed: [] };
  results.forEach((result, i) => {
    const channel = pending[i]![0];
    if (result.status === 'fulfilled') {
      delivery.delivered.push(channel);
      return;
    }
    delivery.failed.push(channel);
    const error = result.reason instanceof Error ? result.reason : new Error(String(result.reason));
    // Our channel errors name hosts, never URLs; an SDK error's message names the API's problem.
    options.logger.warn('Notification channel failed', { channel, reportId: report.reportId, errorName: error.name, errorMessage: error.message });
  });
  return delivery;
}
