/**
 * Alert configurations as the simulator keeps them: one project's rules for "when event X happens,
 * notify these webhooks". Only what restores need is modelled: event-type (non-threshold) configs
 * with WEBHOOK notifications. The secret and URL are kept in full here; views mask them.
 */

export interface WebhookNotificationState {
  typeName: 'WEBHOOK';
  notifierId: string;
  webhookUrl: string;
  /** undefined: Atlas sends the alert unsigned (no X-MMS-Signature). */
  webhookSecret?: string;
  delayMin?: number;
  intervalMin?: number;
  integrationId?: string;
}

export interface AlertConfigState {
  id: string;
  groupId: string;
  eventTypeName: string;
  enabled: boolean;
  severityOverride?: string;
  created: number;
  updated: number;
  notifications: WebhookNotificationState[];
}

/** Atlas shows a webhook secret "completely redacted" in every read. */
export const MASKED_SECRET = '******';

/**
 * Atlas shows a webhook URL "partially redacted"; the spec's example is `https://webhook.com/****`:
 * the origin stays, the path (where a receiver's own token often lives) does not.
 */
export function maskWebhookUrl(url: string): string {
  try {
    return `${new URL(url).origin}/****`;
  } catch {
    return '****';
  }
}

/** The alert configurations of every project, in creation order. */
export class AlertConfigBook {
  private readonly configs = new Map<string, AlertConfigState>();

  of(groupId: string): AlertConfigState[] {
    return [...this.configs.values()].filter((c) => c.groupId === groupId);
  }

  get(groupId: string, id: string): AlertConfigState | undefined {
    const c = this.configs.get(id);
    return c && c.groupId === groupId ? c : undefined;
  }

  put(config: AlertConfigState): void {
    this.configs.set(config.id, config);
  }

  delete(id: string): void {
    this.configs.delete(id);
  }

  /** Enabled configurations of a project that fire on `eventTypeName`. */
  firing(groupId: string, eventTypeName: string): AlertConfigState[] {
    return this.of(groupId).filter((c) => c.enabled && c.eventTypeName === eventTypeName);
  }
}
