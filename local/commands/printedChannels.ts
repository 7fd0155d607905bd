import type { NotifyChannels } from '../../functions/core/finish/finishRestore.js';
import type { Output } from './output.js';

/**
 * The channels of a restore run from this machine: the report a topic would carry is printed, no
 * event is put on a bus, and the webhook is whatever `webhookUrl` says (or says why there is none).
 */
export function printedChannels(out: Output, webhookUrl: NotifyChannels['webhookUrl']): NotifyChannels {
  return {
    sns: async (_report, text) => {
      out.line('\nThe notification that would be sent:');
      out.box(text);
    },
    eventBridge: async () => undefined,
    webhookUrl,
  };
}
