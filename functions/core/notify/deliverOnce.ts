import type { StepLogger } from '../orchestrate/deps.js';
import type { DeliveryLedger } from './ledger.js';
import type { RestoreReport } from './message.js';
import { enabledChannels, sendReport, type NotifyChannels, type NotifySettings, type SendOptions } from './send.js';

/**
 * Sends a report to the enabled channels that did not take it yet, and records each one that takes
 * it now (./ledger.ts says why send comes before record). The ledger never costs a report: one
 * that cannot be read means sending on every channel (a possible repeat, said in the log), one
 * that cannot be written means a retry may repeat that channel (said in the log too).
 */

export interface OnceDelivery {
  /** Every channel that holds the report, now or from an earlier run, in channel order. */
  delivered: string[];
  /** Channels that took the report in this run. */
  deliveredNow: string[];
  /** Channels that had taken it in an earlier run: not sent to again. */
  deliveredEarlier: string[];
  failed: string[];
}

export interface OnceOptions extends Omit<SendOptions, 'skip' | 'onDelivered'> {
  ledger: DeliveryLedger;
  now(): Date;
}

export async function deliverOnce(
  report: RestoreReport,
  settings: NotifySettings,
  channels: NotifyChannels,
  { ledger, now, ...options }: OnceOptions,
): Promise<OnceDelivery> {
  const { reportId } = report;
  const logger: StepLogger = options.logger;
  const enabled = enabledChannels(settings);
  const earlier = new Set<string>();
  try {
    for (const { channel, at } of enabled.length ? await ledger.taken(reportId, enabled) : []) {
      earlier.add(channel);
      logger.info('Channel already took this report: not sent again', { channel, reportId, deliveredAt: at });
    }
  } catch (err) {
    logger.warn('Could not read which channels already took this report: sending on all of them', { reportId, errorName: (err as Error)?.name });
  }

  const onDelivered = async (channel: string): Promise<void> => {
    try {
      if (!(await ledger.record(reportId, channel, now())))
        logger.warn('Another notify sent this report to this channel at the same time: it took the report twice', { channel, reportId });
    } catch (err) {
      logger.warn('Could not record that this channel took the report: a retry would send it again', { channel, reportId, errorName: (err as Error)?.name });
    }
  };
  const sent = await sendReport(report, settings, channels, { ...options, skip: earlier, onDelivered });
  return {
    delivered: enabled.filter((c) => earlier.has(c) || sent.delivered.includes(c)),
    deliveredNow: sent.delivered,
    deliveredEarlier: enabled.filter((c) => earlier.has(c)),
    failed: sent.failed,
  };
}
