import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE } from '../../domain/observability.js';
import type { RestoreReport } from '../message.js';

/**
 * The report as an EventBridge event for other automation: source EVENT_SOURCE, detail-type the
 * report title ("Atlas Restore Succeeded", "Atlas Restore Timed Out", …), detail the report.
 *
 * EventBridge has no de-duplication; notify's delivery records (../ledger.ts) keep a retried
 * notify from putting the event again, except when the try died between the put and its record.
 * Rules that must act once key on `detail.reportId` (stable for a run and outcome); the event time
 * is the report's end time, so such a repeat is identical apart from its event id.
 */

export class EventBridgeEntryError extends Error {
  override name = 'EventBridgeEntryFailed';
}

function reportEventEntry(eventBusName: string, report: RestoreReport): PutEventsRequestEntry {
  return {
    Source: EVENT_SOURCE,
    DetailType: report.title,
    Detail: JSON.stringify(report),
    EventBusName: eventBusName,
    Time: new Date(report.endedAt),
  };
}

export async function putReportEvent(client: Pick<EventBridgeClient, 'send'>, eventBusName: string, report: RestoreReport, abortSignal?: AbortSignal): Promise<void> {
  const res = await client.send(new PutEventsCommand({ Entries: [reportEventEntry(eventBusName, report)] }), abortSignal ? { abortSignal } : {});
  // PutEvents answers 200 even when it refused the entry: the count says so.
  if (res.FailedEntryCount) {
    const entry = res.Entries?.[0];
    throw new EventBridgeEntryError(`EventBridge refused the event: ${entry?.ErrorCode ?? 'unknown error'}${entry?.ErrorMessage ? ` (${entry.ErrorMessage})` : ''}`);
  }
}
