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
  /** `signal` aborts the call when the channel's time is up (see channelBudgetMs). */
  sns(report: RestoreReport, text: string, signal?: AbortSignal): Promise<void>;
  eventBridge(report: RestoreReport, signal?: AbortSignal): Promise<void>;
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
  /**
   * Milliseconds this invocation has left (the Lambda context's getRemainingTimeInMillis): each
   * channel's call is cut off well before, so the delivery records of the channels that took the
   * report are written before the function's timeout. Absent: MAX_CHANNEL_MS each.
   */
  remainingMs?: () => number;
}

/** Kept back from the invocation's remaining time: the records, the lock release, the history, the answer. */
export const RECORD_RESERVE_MS = 10_000;
/** No channel gets longer than this, however long the invocation has. */
export const MAX_CHANNEL_MS = 20_000;
/** Nor shorter: a channel given less would fail for sure; the retry comes with a fresh invocation. */
export const MIN_CHANNEL_MS = 500;

/** The time each channel's call may take, all of them at once: what is left, less the reserve, capped. */
export function channelBudgetMs(remainingMs?: number): number {
  if (remainingMs === undefined || !Number.isFinite(remainingMs)) return MAX_CHANNEL_MS;
  return Math.max(MIN_CHANNEL_MS, Math.min(MAX_CHANNEL_MS, remainingMs - RECORD_RESERVE_MS));
}

class ChannelTimeoutError extends Error {
  override name = 'ChannelTimedOut';
}

/** The channel's call, or a ChannelTimeoutError when the signal fires first (the call is aborted too). */
function withinBudget(call: (signal: AbortSignal) => Promise<void>, channel: string, ms: number): Promise<void> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ChannelTimeoutError(`The ${channel} channel did not answer within ${ms} ms`);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  return Promise.race([call(controller.signal), expired]).finally(() => clearTimeout(timer));
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
/**
 * The same report id under the header receivers that de-duplicate already read (Stripe-style
 * `Idempotency-Key`): the one repeat a lost answer can cause carries the same key as the first.
 */
const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

export async function sendReport(
  report: RestoreReport,
  settings: NotifySettings,
  channels: NotifyChannels,
  options: SendOptions,
): Promise<Delivery> {
  const sends: [string, (signal: AbortSignal, budgetMs: number) => Promise<void>][] = [];
  // Each channel gets the links only if the plan chose it (./downloadLinks.ts).
  const sns = reportFor(report, 'sns', settings);
  if (settings.sns) sends.push([CHANNEL.sns, (signal) => channels.sns(sns, renderText(sns), signal)]);
  if (settings.eventBridge) sends.push([CHANNEL.eventBridge, (signal) => channels.eventBridge(reportFor(report, 'eventBridge', settings), signal)]);
  const hook = settings.webhook;
  if (hook) {
    sends.push([
      CHANNEL.webhook(hook.format),
      async (signal, budgetMs) =>
        postWebhook(
          await channels.webhookUrl(hook.secretName),
          renderWebhook(hook.format, reportFor(report, 'webhook', settings)),
          // Its own retry fits inside the channel's time; the signal stops a try the budget cut off.
          { ...options.webhook, totalMs: budgetMs, signal },
          { [REPORT_ID_HEADER]: report.reportId, [IDEMPOTENCY_KEY_HEADER]: report.reportId },
        ),
    ]);
  }
  const pending = sends.filter(([channel]) => !options.skip?.has(channel));
  // Every channel's call is bounded by the same budget, taken once: they run at the same time.
  const budgetMs = channelBudgetMs(options.remainingMs?.());
  // Each send is wrapped so a synchronous throw is a failed channel too, not a lost report.
  const results = await Promise.allSettled(
    pending.map(async ([channel, send]) => {
      await withinBudget((signal) => send(signal, budgetMs), channel, budgetMs);
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
