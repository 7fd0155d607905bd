import type { RestoreContext } from '../workflow/contract.js';
import type { RestoreReport } from './message.js';

/**
 * Pre-signed download links are the data itself: whoever reads one can fetch the snapshot until it
 * expires. A plan says which channels carry them (`notify.downloadLinks`); by default only the
 * encrypted SNS topic and the API's `GET /restores/{id}` (IAM-authenticated). Every other channel
 * gets the report without them, and every report says where they went.
 */

export const DOWNLOAD_LINK_CHANNELS = ['sns', 'eventBridge', 'webhook', 'api'] as const;
export type DownloadLinkChannel = (typeof DOWNLOAD_LINK_CHANNELS)[number];
export const DEFAULT_DOWNLOAD_LINK_CHANNELS: readonly DownloadLinkChannel[] = ['sns', 'api'];

type Settings = Pick<RestoreContext['notify'], 'sns' | 'eventBridge' | 'webhook'> & { downloadLinks?: readonly DownloadLinkChannel[] };

/** The channels that carry the links for this restore: chosen by the plan and enabled (the API always is). */
export function linkChannels(settings: Settings): DownloadLinkChannel[] {
  const chosen = settings.downloadLinks ?? DEFAULT_DOWNLOAD_LINK_CHANNELS;
  const enabled: Record<DownloadLinkChannel, boolean> = { sns: settings.sns, eventBridge: settings.eventBridge, webhook: !!settings.webhook, api: true };
  return DOWNLOAD_LINK_CHANNELS.filter((c) => chosen.includes(c) && enabled[c]);
}

/** The report as this channel may see it: with the links only if the plan chose the channel, and where they went. */
export function reportFor(report: RestoreReport, channel: DownloadLinkChannel, settings: Settings): RestoreReport {
  if (!report.downloads.length) return report;
  const to = linkChannels(settings);
  return { ...report, downloads: to.includes(channel) ? report.downloads : [], downloadLinksTo: to };
}

/** "the SNS topic and GET /restores/{id}": for people. */
export function describeLinkChannels(channels: readonly DownloadLinkChannel[]): string {
  const words: Record<DownloadLinkChannel, string> = { sns: 'the SNS topic', eventBridge: 'EventBridge', webhook: 'the webhook', api: 'GET /restores/{id}' };
  return channels.length ? channels.map((c) => words[c]).join(', ') : 'no channel';
}
