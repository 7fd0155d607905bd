import type { StepLogger } from '../orchestrate/deps.js';
import type { DeliveryLedger } from './ledger.js';
import { DELIVERY_RECORD_DAYS } from './ledger.js';
import type { RestoreReport } from './message.js';
import { enabledChannels, sendReport, type NotifyChannels, type NotifySettings, type SendOptions } from './send.js';

/**
 * The dead letter of reports: a report some channel did not take through every retry of notify is
 * kept here, with the channels that still miss it, so an operator can replay it to them
 * (`npm run restore -- reports replay`, or the notify function invoked with `{"replayReport": id}`).
 * The restore's own outcome does not wait for it: the execution ends as the restore ended.
 *
 * A replay goes through the delivery ledger like notify does: a channel on record for the report is
 * never sent it again, and a channel that takes it now is recorded. So a replay is exactly once per
 * channel too, with the same one exception (../notify/ledger.ts): a channel that took the report as
 * the replay died, before its record was written.
 */

export interface UndeliveredReport {
  reportId: string;
  /** The channels that had not taken the report when it was kept. */
  channels: string[];
  report: RestoreReport;
  /** The restore's channel settings (the webhook's secret name, never its URL). */
  settings: NotifySettings;
  /** ISO-8601: when it was kept. */
  at: string;
}

export interface UndeliveredReports {
  /** Keeps a report (replacing one kept under the same id). */
  put(entry: UndeliveredReport): Promise<void>;
  get(reportId: string): Promise<UndeliveredReport | undefined>;
  /** Every report kept (stores that can list; the DynamoDB one is read by id). */
  list?(): Promise<UndeliveredReport[]>;
  remove(reportId: string): Promise<void>;
}

/** As long as a delivery record: a replay within it is still checked against the ledger. */
export const UNDELIVERED_DAYS = DELIVERY_RECORD_DAYS;

export const undeliveredKey = (reportId: string): string => `undelivered#${reportId}`;

export class MemoryUndeliveredReports implements UndeliveredReports {
  protected readonly entries = new Map<string, UndeliveredReport>();
  async put(entry: UndeliveredReport): Promise<void> {
    this.entries.set(entry.reportId, structuredClone(entry));
  }
  async get(reportId: string): Promise<UndeliveredReport | undefined> {
    const e = this.entries.get(reportId);
    return e && structuredClone(e);
  }
  async list(): Promise<UndeliveredReport[]> {
    return [...this.entries.values()].map((e) => structuredClone(e));
  }
  async remove(reportId: string): Promise<void> {
    this.entries.delete(reportId);
  }
}

export interface ReplayResult {
  reportId: string;
  /** Channels that took the report in this replay. */
  deliveredNow: string[];
  /** Channels on record as having taken it already: not sent again. */
  deliveredEarlier: string[];
  /** Channels that still did not take it: the report stays kept for them. */
  failed: string[];
}

export interface ReplayDeps {
  store: UndeliveredReports;
  channels: NotifyChannels;
  ledger: DeliveryLedger;
  now(): Date;
  logger: StepLogger;
  webhook?: SendOptions['webhook'];
}

/**
 * Sends a kept report to the channels that still miss it, records each that takes it, and forgets
 * the report once none misses it (else keeps it for the ones that still do).
 */
export async function replayUndelivered(reportId: string, deps: ReplayDeps): Promise<ReplayResult | undefined> {
  const entry = await deps.store.get(reportId);
  if (!entry) return undefined;
  const enabled = enabledChannels(entry.settings);
  const earlier = new Set((await deps.ledger.taken(reportId, entry.channels)).map((r) => r.channel));
  // Only the channels it was kept for: the others took it during the restore.
  const skip = new Set([...enabled.filter((c) => !entry.channels.includes(c)), ...earlier]);
  const sent = await sendReport(entry.report, entry.settings, deps.channels, {
    logger: deps.logger,
    ...(deps.webhook ? { webhook: deps.webhook } : {}),
    skip,
    onDelivered: async (channel) => {
      try {
        await deps.ledger.record(reportId, channel, deps.now());
      } catch (err) {
        deps.logger.warn('Could not record that this channel took the replayed report', { channel, reportId, errorName: (err as Error)?.name });
      }
    },
  });
  if (sent.failed.length) await deps.store.put({ ...entry, channels: sent.failed });
  else await deps.store.remove(reportId);
  deps.logger.info('Report replayed', { reportId, deliveredNow: sent.delivered, failed: sent.failed });
  return { reportId, deliveredNow: sent.delivered, deliveredEarlier: entry.channels.filter((c) => earlier.has(c)), failed: sent.failed };
}
