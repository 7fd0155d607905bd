/**
 * Which channels already took a report: one record per (report id, channel), so a re-run of notify
 * (a Step Functions retry, a redrive, someone invoking it again by hand) sends only to the channels
 * that did not take the report yet. The lock table holds the records in AWS (./dynamoLedger.ts);
 * the local runner and the tests keep them in memory.
 *
 * The order is send, then record, never the other way round. The window between the two (the
 * channel took the report, then the function died or the record could not be written) is the one
 * place a channel can get a report twice: the next try does not see the record and sends again.
 * Recording first would close that window by opening a worse one: a function that dies between
 * the record and the send leaves a report that never went out but is recorded as delivered, and no
 * retry would send it. A repeat is visible and carries its report id (SNS message attribute,
 * EventBridge detail, webhook header) for consumers to drop; a lost report is what this product
 * exists to prevent. So: exactly once per channel, except for a repeat in that window.
 */

export interface DeliveryLedger {
  /** The ones of `channels` that already took report `reportId`, and when. */
  taken(reportId: string, channels: readonly string[]): Promise<DeliveryRecord[]>;
  /**
   * Records that `channel` took report `reportId` at `at`. Conditional: the first record stands.
   * Answers false when one was already there, i.e. another notify sent the same report to the
   * same channel at the same time (the channel got it twice; the caller says so in the log).
   */
  record(reportId: string, channel: string, at: Date): Promise<boolean>;
}

export interface DeliveryRecord {
  channel: string;
  /** ISO-8601: when the channel took the report. */
  at: string;
}

/**
 * How long a record is kept. Longer than Step Functions lets a failed execution be redriven (14
 * days after it ended): a redrive re-runs notify with the same input, hence the same report id.
 */
export const DELIVERY_RECORD_DAYS = 15;

export const deliveryRecordExpiry = (at: Date): Date => new Date(at.getTime() + DELIVERY_RECORD_DAYS * 86_400_000);

/**
 * The record's key in the lock table. Lock keys are `<groupId>/<cluster>` (a hex id first), so the
 * prefix keeps the two apart; channel names hold no `#`, so the last segment is always the channel.
 */
export const deliveryKey = (reportId: string, channel: string): string => `delivery#${reportId}#${channel}`;

/** In-process records: the local runner and tests, where one process runs every notify. */
export class MemoryDeliveryLedger implements DeliveryLedger {
  private readonly records = new Map<string, { at: string; expires: number }>();
  constructor(private readonly now: () => Date = () => new Date()) {}

  async taken(reportId: string, channels: readonly string[]): Promise<DeliveryRecord[]> {
    return channels.flatMap((channel) => {
      const r = this.current(deliveryKey(reportId, channel));
      return r ? [{ channel, at: r.at }] : [];
    });
  }

  // No await between the check and the set: two records in one tick cannot both win.
  async record(reportId: string, channel: string, at: Date): Promise<boolean> {
    const key = deliveryKey(reportId, channel);
    if (this.current(key)) return false;
    this.records.set(key, { at: at.toISOString(), expires: deliveryRecordExpiry(at).getTime() });
    return true;
  }

  /** A record past its expiry is gone, as DynamoDB's TTL would make it. */
  private current(key: string) {
    const r = this.records.get(key);
    return r && r.expires > this.now().getTime() ? r : undefined;
  }
}
