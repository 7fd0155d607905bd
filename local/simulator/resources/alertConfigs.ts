import { NEEDS } from '../auth/roles.js';
import { errors } from '../errors.js';
import { paginate, parsePaging } from '../http/pagination.js';
import type { Operation, RequestContext } from '../http/router.js';
import { V2023 } from '../http/versions.js';
import { MASKED_SECRET, maskWebhookUrl, type AlertConfigState, type WebhookNotificationState } from '../state/alertConfigs.js';
import { iso } from '../time.js';
import { Body, OBJECT_ID } from '../validate.js';
import { selfLink } from './common.js';

/**
 * Project alert configurations (`/groups/{groupId}/alertConfigs`), the part restores need: configs
 * on an event type (no thresholds) that notify WEBHOOKs. Reads need any project role; writes need
 * Project Alerts Manager (Project Owner passes). Reads show the secret fully masked and the URL
 * partly masked, as the spec says Atlas does; a PUT that sends those masks back keeps what was set.
 */

/** The spec's "Cps Backup Event Types" (Default alert configs); other families are not simulated. */
const BACKUP_EVENT_TYPES = [
  'CPS_SNAPSHOT_STARTED', 'CPS_SNAPSHOT_SUCCESSFUL', 'CPS_SNAPSHOT_FAILED', 'CPS_CONCURRENT_SNAPSHOT_FAILED_WILL_RETRY',
  'CPS_SNAPSHOT_FALLBACK_SUCCESSFUL', 'CPS_SNAPSHOT_FALLBACK_FAILED', 'CPS_COPY_SNAPSHOT_STARTED', 'CPS_COPY_SNAPSHOT_FAILED',
  'CPS_COPY_SNAPSHOT_FAILED_WILL_RETRY', 'CPS_COPY_SNAPSHOT_SUCCESSFUL', 'CPS_RESTORE_SUCCESSFUL', 'CPS_EXPORT_SUCCESSFUL',
  'CPS_RESTORE_FAILED', 'CPS_EXPORT_FAILED', 'CPS_COLLECTION_RESTORE_SUCCESSFUL', 'CPS_COLLECTION_RESTORE_FAILED',
  'CPS_COLLECTION_RESTORE_PARTIAL_SUCCESS', 'CPS_COLLECTION_RESTORE_CANCELED', 'CPS_AUTO_EXPORT_FAILED',
  'CPS_SNAPSHOT_DOWNLOAD_REQUEST_FAILED', 'CPS_OPLOG_CAUGHT_UP',
] as const;

const NOTIFICATION_TYPES = [
  'DATADOG', 'EMAIL', 'GROUP', 'HIP_CHAT', 'MICROSOFT_TEAMS', 'OPS_GENIE', 'ORG', 'PAGER_DUTY', 'SLACK', 'SMS', 'TEAM', 'USER',
  'VICTOR_OPS', 'WEBHOOK',
] as const;
const SEVERITIES = ['INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
const CONFIG_FIELDS = { writable: ['eventTypeName', 'enabled', 'notifications', 'matchers', 'severityOverride'], readOnly: ['id', 'groupId', 'created', 'updated', 'links'] };
const WEBHOOK_FIELDS = {
  writable: ['typeName', 'webhookUrl', 'webhookSecret', 'delayMin', 'intervalMin', 'notifierId', 'integrationId', 'webhookBodyTemplate', 'webhookHeadersTemplate'],
};
const INT32_MAX = 2_147_483_647;

function webhookView(n: WebhookNotificationState) {
  return {
    typeName: n.typeName,
    notifierId: n.notifierId,
    webhookUrl: maskWebhookUrl(n.webhookUrl),
    ...(n.webhookSecret !== undefined && { webhookSecret: MASKED_SECRET }),
    delayMin: n.delayMin ?? 0,
    ...(n.intervalMin !== undefined && { intervalMin: n.intervalMin }),
    ...(n.integrationId !== undefined && { integrationId: n.integrationId }),
  };
}

function configView(ctx: RequestContext, c: AlertConfigState) {
  return {
    id: c.id,
    groupId: c.groupId,
    eventTypeName: c.eventTypeName,
    enabled: c.enabled,
    created: iso(c.created),
    updated: iso(c.updated),
    matchers: [],
    notifications: c.notifications.map(webhookView),
    ...(c.severityOverride !== undefined && { severityOverride: c.severityOverride }),
    links: selfLink(ctx, `/groups/${c.groupId}/alertConfigs/${c.id}`),
  };
}

/** Another notification type is valid Atlas, but the simulator only delivers webhooks: say so, not "unknown field". */
function refuseOtherNotificationTypes(body: unknown): void {
  const list = (body as { notifications?: unknown } | null)?.notifications;
  if (!Array.isArray(list)) return;
  for (const [i, item] of list.entries()) {
    const typeName = (item as { typeName?: unknown } | null)?.typeName;
    if (typeof typeName === 'string' && typeName !== 'WEBHOOK' && (NOTIFICATION_TYPES as readonly string[]).includes(typeName))
      throw errors.invalidAttribute(`notifications[${i}].typeName`, `${typeName} notifications are not simulated: only WEBHOOK`);
  }
}

function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Reads a create or update body. `previous` (an update) lets a masked secret or URL sent back
 * unchanged keep the value it stands for, matched by notifierId, else by position.
 */
function readConfig(ctx: RequestContext, previous?: AlertConfigState) {
  refuseOtherNotificationTypes(ctx.body);
  const b = Body.read(ctx.body, CONFIG_FIELDS);
  const eventTypeName = b.oneOf('eventTypeName', BACKUP_EVENT_TYPES);
  const enabled = b.bool('enabled');
  const severityOverride = b.oneOf('severityOverride', SEVERITIES);
  const matchers = (ctx.body as { matchers?: unknown }).matchers;
  if (matchers !== undefined && matchers !== null && !(Array.isArray(matchers) && matchers.length === 0))
    throw errors.invalidAttribute('matchers', 'restore and snapshot events carry no cluster or host to match: leave matchers empty');
  const items = b.items('notifications', WEBHOOK_FIELDS, 1, 25) ?? [];
  const read = items.map((n, i) => {
    const typeName = n.oneOf('typeName', NOTIFICATION_TYPES);
    const out = {
      typeName,
      webhookUrl: n.str('webhookUrl'),
      webhookSecret: n.str('webhookSecret'),
      delayMin: n.int('delayMin', 0, INT32_MAX),
      intervalMin: n.int('intervalMin', 5, INT32_MAX),
      notifierId: n.str('notifierId', OBJECT_ID, 'a 24-character hexadecimal id'),
      integrationId: n.str('integrationId'),
      templated: n.has('webhookBodyTemplate') || n.has('webhookHeadersTemplate'),
      at: `notifications[${i}]`,
    };
    return out;
  });
  b.done();
  if (!eventTypeName) throw errors.missingAttribute('eventTypeName');
  if (read.length === 0) throw errors.missingAttribute('notifications');
  const notifications = read.map((n, i): WebhookNotificationState => {
    if (!n.typeName) throw errors.missingAttribute(`${n.at}.typeName`);
    if (n.templated) throw errors.invalidAttribute(`${n.at}.webhookBodyTemplate`, 'webhook templates are not simulated: the default alert body is sent');
    const before = previous?.notifications.find((p) => p.notifierId === n.notifierId) ?? previous?.notifications[i];
    let webhookUrl = n.webhookUrl;
    if (webhookUrl !== undefined && before && webhookUrl === maskWebhookUrl(before.webhookUrl)) webhookUrl = before.webhookUrl;
    // Atlas falls back to the project's Integrations webhook; the simulator has no Integrations page.
    if (webhookUrl === undefined) throw errors.missingAttribute(`${n.at}.webhookUrl`, 'is required (the simulator has no project webhook integration to fall back on)');
    if (!isWebUrl(webhookUrl)) throw errors.validation([{ field: `${n.at}.webhookUrl`, description: 'must be an http or https URL' }]);
    const secret = n.webhookSecret === MASKED_SECRET ? before?.webhookSecret : n.webhookSecret;
    return {
      typeName: 'WEBHOOK',
      notifierId: before && n.notifierId === before.notifierId ? before.notifierId : ctx.store.newId(),
      webhookUrl,
      ...(secret !== undefined && secret !== '' && { webhookSecret: secret }),
      ...(n.delayMin !== undefined && { delayMin: n.delayMin }),
      ...(n.intervalMin !== undefined && { intervalMin: n.intervalMin }),
      ...(n.integrationId !== undefined && { integrationId: n.integrationId }),
    };
  });
  return { eventTypeName, enabled, severityOverride, notifications };
}

function findConfig(ctx: RequestContext): AlertConfigState {
  const groupId = ctx.params.groupId as string;
  const id = ctx.params.alertConfigId as string;
  const config = ctx.store.alertConfigs.get(groupId, id);
  if (!config) throw errors.alertConfigNotFound(id, groupId);
  return config;
}

function create(ctx: RequestContext) {
  const r = readConfig(ctx);
  const config = saved(ctx, r, { id: ctx.store.newId(), groupId: ctx.params.groupId as string, created: ctx.now });
  return { status: 200, body: configView(ctx, config) };
}

/** A create or a whole replacement (PUT): what the body says, under the config's id, project and creation time. */
function saved(ctx: RequestContext, r: ReturnType<typeof readConfig>, keep: Pick<AlertConfigState, 'id' | 'groupId' | 'created'>): AlertConfigState {
  const config: AlertConfigState = {
    id: keep.id,
    groupId: keep.groupId,
    eventTypeName: r.eventTypeName,
    // The spec's default: a config written without `enabled` is off.
    enabled: r.enabled ?? false,
    ...(r.severityOverride !== undefined && { severityOverride: r.severityOverride }),
    created: keep.created,
    updated: ctx.now,
    notifications: r.notifications,
  };
  ctx.store.alertConfigs.put(config);
  return config;
}

function update(ctx: RequestContext) {
  const config = findConfig(ctx);
  const r = readConfig(ctx, config);
  const next = saved(ctx, r, config);
  return { status: 200, body: configView(ctx, next) };
}

function toggle(ctx: RequestContext) {
  const config = findConfig(ctx);
  const b = Body.read(ctx.body, { writable: ['enabled'] });
  const enabled = b.bool('enabled');
  b.done();
  if (enabled === undefined) throw errors.missingAttribute('enabled');
  config.enabled = enabled;
  config.updated = ctx.now;
  return { status: 200, body: configView(ctx, config) };
}

const base = '/groups/{groupId}/alertConfigs';

export const alertConfigOperations: Operation[] = [
  {
    name: 'listAlertConfigs',
    method: 'GET',
    path: base,
    versions: [V2023],
    roles: NEEDS.read,
    handle: (ctx) => {
      const configs = ctx.store.alertConfigs.of(ctx.params.groupId as string).map((c) => configView(ctx, c));
      return { status: 200, body: paginate(configs, parsePaging(ctx.query), ctx.url) };
    },
  },
  { name: 'createAlertConfig', method: 'POST', path: base, versions: [V2023], roles: NEEDS.alertsManager, handle: create },
  {
    name: 'getAlertConfig',
    method: 'GET',
    path: `${base}/{alertConfigId}`,
    versions: [V2023],
    roles: NEEDS.read,
    handle: (ctx) => ({ status: 200, body: configView(ctx, findConfig(ctx)) }),
  },
  { name: 'updateAlertConfig', method: 'PUT', path: `${base}/{alertConfigId}`, versions: [V2023], roles: NEEDS.alertsManager, handle: update },
  { name: 'toggleAlertConfig', method: 'PATCH', path: `${base}/{alertConfigId}`, versions: [V2023], roles: NEEDS.alertsManager, handle: toggle },
  {
    name: 'deleteAlertConfig',
    method: 'DELETE',
    path: `${base}/{alertConfigId}`,
    versions: [V2023],
    roles: NEEDS.alertsManager,
    handle: (ctx) => {
      ctx.store.alertConfigs.delete(findConfig(ctx).id);
      return { status: 204 };
    },
  },
];
