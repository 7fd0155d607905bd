import { z } from 'zod';
import { AtlasApiError, AtlasInvalidRequestError } from '../domain/errors.js';
import { createRedactor, redactDeep, type Redactor } from './redaction.js';
import { ATLAS_API_PREFIX, type AtlasTransport } from './transport.js';

/**
 * Project alert configurations (`/groups/{groupId}/alertConfigs`, 2023-01-01): what makes Atlas
 * tell a webhook that a Cloud Backup restore ended. Calls go through the ordinary transport (auth,
 * retries, redaction of the Atlas credentials); on top of that, a webhook secret a call carries is
 * taken out of any error it raises, in every encoding the redactor knows, so it never reaches a log.
 */

/** The alert event types Atlas raises when a Cloud Backup restore ends. */
export const RESTORE_ALERT_EVENT_TYPES = [
  'CPS_RESTORE_SUCCESSFUL',
  'CPS_RESTORE_FAILED',
  // Collection-level restores' own events: they wake collection restores the same way.
  'CPS_COLLECTION_RESTORE_SUCCESSFUL',
  'CPS_COLLECTION_RESTORE_FAILED',
  'CPS_COLLECTION_RESTORE_PARTIAL_SUCCESS',
  'CPS_COLLECTION_RESTORE_CANCELED',
] as const;
export type RestoreAlertEventType = (typeof RESTORE_ALERT_EVENT_TYPES)[number];

const VERSION = '2023-01-01';
const OBJECT_ID = /^[a-f0-9]{24}$/;

/** A notification as Atlas shows it (a WEBHOOK's secret fully masked, its URL partly). */
const AlertNotification = z.looseObject({
  typeName: z.string(),
  webhookUrl: z.string().optional(),
  webhookSecret: z.string().optional(),
  notifierId: z.string().optional(),
});
type AlertNotification = z.infer<typeof AlertNotification>;

export const AlertConfig = z.looseObject({
  id: z.string().regex(OBJECT_ID),
  eventTypeName: z.string(),
  // The spec's default: a config that does not say is off.
  enabled: z.boolean().default(false),
  notifications: z.array(AlertNotification).default([]),
});
export type AlertConfig = z.infer<typeof AlertConfig>;

/** What `alerts setup` asks for: one event type, one signed WEBHOOK notification. */
export interface WebhookAlertConfig {
  eventTypeName: RestoreAlertEventType;
  enabled: boolean;
  webhookUrl: string;
  webhookSecret: string;
}

function path(groupId: string, id?: string): string {
  if (!OBJECT_ID.test(groupId)) throw new AtlasInvalidRequestError(`groupId must be a 24-character hexadecimal id, got "${groupId}"`);
  if (id !== undefined && !OBJECT_ID.test(id)) throw new AtlasInvalidRequestError(`alertConfigId must be a 24-character hexadecimal id, got "${id}"`);
  return `${ATLAS_API_PREFIX}/groups/${groupId}/alertConfigs${id === undefined ? '' : `/${id}`}`;
}

function body(config: WebhookAlertConfig) {
  return {
    eventTypeName: config.eventTypeName,
    enabled: config.enabled,
    notifications: [{ typeName: 'WEBHOOK', webhookUrl: config.webhookUrl, webhookSecret: config.webhookSecret }],
  };
}

function parse(value: unknown, operation: string): AlertConfig {
  const parsed = AlertConfig.safeParse(value);
  if (!parsed.success) throw new AtlasInvalidRequestError(`Atlas ${operation} answered something that is not an alert configuration`, { operation });
  return parsed.data;
}

/** Takes `secret` out of an error's message, detail, parameters and stack (the error is changed in place). */
function scrub(error: unknown, redact: Redactor): unknown {
  if (!(error instanceof Error)) return error;
  error.message = redact(error.message);
  if (error.stack) error.stack = redact(error.stack);
  if (error instanceof AtlasApiError) {
    const e = error as { -readonly [K in 'detail' | 'parameters']: AtlasApiError[K] };
    if (e.detail !== undefined) e.detail = redact(e.detail);
    if (e.parameters !== undefined) e.parameters = redactDeep(e.parameters, redact) as unknown[];
  }
  return error;
}

async function carrying<T>(secret: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw scrub(error, createRedactor([secret]));
  }
}

export async function listAlertConfigs(atlas: AtlasTransport, groupId: string): Promise<AlertConfig[]> {
  const items = await atlas.listAll<unknown>({ path: path(groupId), version: VERSION });
  return items.map((item) => parse(item, `GET ${path(groupId)}`));
}

export async function createAlertConfig(atlas: AtlasTransport, groupId: string, config: WebhookAlertConfig): Promise<AlertConfig> {
  const at = path(groupId);
  return carrying(config.webhookSecret, async () => {
    const { body: answer } = await atlas.request({ method: 'POST', path: at, version: VERSION, body: body(config) });
    return parse(answer, `POST ${at}`);
  });
}

/** Replaces a configuration whole (PUT): event type, enabled, and the one WEBHOOK notification. */
export async function updateAlertConfig(atlas: AtlasTransport, groupId: string, id: string, config: WebhookAlertConfig): Promise<AlertConfig> {
  const at = path(groupId, id);
  return carrying(config.webhookSecret, async () => {
    const { body: answer } = await atlas.request({ method: 'PUT', path: at, version: VERSION, body: body(config) });
    return parse(answer, `PUT ${at}`);
  });
}
