import type { RestoreContext } from '../workflow/contract.js';
import type { RestoreReport } from './message.js';
import { DEFAULT_DOWNLOAD_LINK_CHANNELS, DOWNLOAD_LINK_CHANNELS, type DownloadLinkChannel } from '../plans/downloadLinkChannels.js';

/**
 * Pre-signed download links are the data itself: whoever reads one can fetch the snapshot until it
 * expires. A plan says which channels carry them (`notify.downloadLinks`); by default only the
 * encrypted SNS topic and the API's `GET /restores/{id}` (IAM-authenticated). Every other channel
 * gets the report without them, and every report says where they went.
 */

export { type DownloadLinkChannel } from '../plans/downloadLinkChannels.js';

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
