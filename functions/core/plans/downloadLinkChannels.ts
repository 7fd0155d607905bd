/** The channels a plan may let carry download links (`notify.downloadLinks`); ../notify/downloadLinks.ts says why few. */
export const DOWNLOAD_LINK_CHANNELS = ['sns', 'eventBridge', 'webhook', 'api'] as const;
export type DownloadLinkChannel = (typeof DOWNLOAD_LINK_CHANNELS)[number];
export const DEFAULT_DOWNLOAD_LINK_CHANNELS: readonly DownloadLinkChannel[] = ['sns', 'api'];

/** "the SNS topic and GET /restores/{id}": for people. */
export function describeLinkChannels(channels: readonly DownloadLinkChannel[]): string {
  const words: Record<DownloadLinkChannel, string> = { sns: 'the SNS topic', eventBridge: 'EventBridge', webhook: 'the webhook', api: 'GET /restores/{id}' };
  return channels.length ? channels.map((c) => words[c]).join(', ') : 'no channel';
}
