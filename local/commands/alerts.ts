import { baseUrlFromEnv } from '../../functions/core/atlas/baseUrl.js';
import { webhookSecretFromText } from '../../functions/core/push/secretText.js';
import { alertSignature, EVENT_HEADER, SIGNATURE_HEADER } from '../../functions/core/push/signature.js';
import { createAtlasClient } from '../../functions/core/atlas/client.js';
import { connectionFromEnv } from '../../functions/core/atlas/credentials.js';
import {
  createAlertConfig,
  listAlertConfigs,
  RESTORE_ALERT_EVENT_TYPES,
  updateAlertConfig,
  type AlertConfig,
  type RestoreAlertEventType,
} from '../../functions/core/atlas/alertConfigs.js';
import type { AtlasTransport } from '../../functions/core/atlas/transport.js';
import { ObjectId } from '../../functions/core/restore/fields.js';
import { request } from 'undici';
import { UsageError } from '../commandLine.js';
import { describeAtlasTarget } from './atlasTarget.js';
import type { Output } from './output.js';
import { isLoopbackHost } from '../loopback.js';

/**
 * `alerts setup` and `alerts check`: wiring an Atlas project so that Atlas tells the stack's
 * receiver when a Cloud Backup restore ends. One alert configuration per restore event type, each
 * with one WEBHOOK notification to the receiver, signed with the receiver's secret.
 *
 * Atlas never shows a webhook secret back and shows the URL only partly masked, so "already wired"
 * means: present, enabled, and a WEBHOOK whose visible URL fits the receiver's. The secret cannot be
 * compared: `force` re-sends it (after rotating the receiver's secret, say).
 */

const WEBHOOK_SECRET_VARIABLE = 'ATLAS_ALERT_WEBHOOK_SECRET';

export interface AlertsTarget {
  client: AtlasTransport;
  project: string;
  url: string;
}

export interface AlertChange {
  eventTypeName: RestoreAlertEventType;
  action: 'created' | 'updated' | 'unchanged';
  id: string;
  /** Why an existing configuration was updated. */
  why?: string;
}

export interface EventWiring {
  eventTypeName: RestoreAlertEventType;
  present: boolean;
  enabled: boolean;
  pointsAtUrl: boolean;
  id?: string;
}

/**
 * Does a URL Atlas shows (maybe partly masked with `*`) stand for `wanted`? Each run of `*` may hide
 * any text; everything else must be equal.
 */
export function shownUrlMatches(shown: string, wanted: string): boolean {
  if (shown === wanted) return true;
  if (!shown.includes('*')) return false;
  const pattern = shown.split(/\*+/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(wanted);
}

/** The receiver's URL: https, or plain http only on this machine (the simulator's demo). */
export function checkReceiverUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url must be the receiver's URL (the stack output), got "${url}"`);
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)))
    throw new UsageError('--url must use https (Atlas sends the alert over the internet; plain http only for a receiver on this machine)');
  return url;
}

function checkProject(project: string): string {
  if (!ObjectId.safeParse(project).success) throw new UsageError(`--project must be an Atlas project id (24 hexadecimal characters), got "${project}"`);
  return project;
}

function ours(configs: AlertConfig[], eventTypeName: string, url: string): AlertConfig | undefined {
  const pointing = configs.filter((c) => c.eventTypeName === eventTypeName && c.notifications.some((n) => n.typeName === 'WEBHOOK' && n.webhookUrl !== undefined && shownUrlMatches(n.webhookUrl, url)));
  // Prefer one that is already on: a second, disabled copy must not make a wired project look unwired.
  return pointing.find((c) => c.enabled) ?? pointing[0];
}

/** Creates or updates, idempotently, one alert configuration per restore event type. */
export async function setupAlerts(options: AlertsTarget & { secret: string; force?: boolean }): Promise<{ changed: boolean; changes: AlertChange[] }> {
  const project = checkProject(options.project);
  const url = checkReceiverUrl(options.url);
  if (options.secret.trim() === '') throw new UsageError('the webhook secret is empty: the receiver refuses unsigned alerts');
  const configs = await listAlertConfigs(options.client, project);
  const changes: AlertChange[] = [];
  for (const eventTypeName of RESTORE_ALERT_EVENT_TYPES) {
    const wanted = { eventTypeName, enabled: true, webhookUrl: url, webhookSecret: options.secret };
    const existing = ours(configs, eventTypeName, url);
    if (!existing) {
      const created = await createAlertConfig(options.client, project, wanted);
      changes.push({ eventTypeName, action: 'created', id: created.id });
    } else if (!existing.enabled || existing.notifications.length !== 1 || options.force) {
      const why = !existing.enabled ? 'it was disabled' : existing.notifications.length !== 1 ? 'it had other notifications' : 'asked to (--force): the secret was re-sent';
      await updateAlertConfig(options.client, project, existing.id, wanted);
      changes.push({ eventTypeName, action: 'updated', id: existing.id, why });
    } else changes.push({ eventTypeName, action: 'unchanged', id: existing.id });
  }
  return { changed: changes.some((c) => c.action !== 'unchanged'), changes };
}

/** Says, per restore event type, whether the project would tell the receiver. */
export async function checkAlerts(options: AlertsTarget): Promise<{ wired: boolean; events: EventWiring[] }> {
  const project = checkProject(options.project);
  const url = checkReceiverUrl(options.url);
  const configs = await listAlertConfigs(options.client, project);
  const events = RESTORE_ALERT_EVENT_TYPES.map((eventTypeName): EventWiring => {
    const mine = ours(configs, eventTypeName, url);
    if (mine) return { eventTypeName, present: true, enabled: mine.enabled, pointsAtUrl: true, id: mine.id };
    const any = configs.find((c) => c.eventTypeName === eventTypeName);
    return { eventTypeName, present: any !== undefined, enabled: any?.enabled ?? false, pointsAtUrl: false, ...(any && { id: any.id }) };
  });
  return { wired: events.every((e) => e.present && e.enabled && e.pointsAtUrl), events };
}

/** One HTTP POST (the receiver probe's transport; tests hand in their own). */
export type PostDelivery = (url: string, headers: Record<string, string>, body: Buffer) => Promise<{ status: number; text: string }>;

const postDelivery: PostDelivery = async (url, headers, body) => {
  const res = await request(url, { method: 'POST', headers, body, headersTimeout: 10_000, bodyTimeout: 10_000, signal: AbortSignal.timeout(15_000) });
  return { status: res.statusCode, text: await res.body.text() };
};

/** What the receiver said to a test delivery. */
export type ReceiverAnswer =
  | { kind: 'accepted' }
  | { kind: 'unsigned-refused' }
  | { kind: 'secret-refused' }
  | { kind: 'not-the-receiver'; detail: string };

/**
 * A test delivery to the receiver: an Atlas-shaped alert of an event type that concerns no restore,
 * so the receiver answers it (200, "does not concern restores") without waking a restore or counting
 * the project as heard from. Signed with the secret when one is given: a 401 then means the receiver
 * holds another secret, and Atlas's real alerts would be refused the same way. Unsigned, the
 * receiver's own 401 still shows that it is there. Anything else (nothing listening, a 404, another
 * server's answer) is not the receiver.
 */
export async function probeReceiver(url: string, project: string, secret: string | undefined, post: PostDelivery = postDelivery): Promise<ReceiverAnswer> {
  const body = Buffer.from(JSON.stringify({ id: 'alerts-check', groupId: project, eventTypeName: 'ALERTS_CHECK_TEST_DELIVERY', status: 'INFORMATIONAL', updated: new Date().toISOString() }));
  const headers: Record<string, string> = { 'content-type': 'application/json', [EVENT_HEADER]: 'alert.check' };
  if (secret !== undefined) headers[SIGNATURE_HEADER] = alertSignature(secret, body);
  let answer: { status: number; text: string };
  try {
    answer = await post(url, headers, body);
  } catch (err) {
    const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
    return { kind: 'not-the-receiver', detail: `no answer (${code ?? (err instanceof Error ? err.message : String(err))})` };
  }
  let json: { ignored?: unknown; woken?: unknown; error?: unknown } = {};
  try {
    json = JSON.parse(answer.text) as typeof json;
  } catch {
    // Not JSON: not the receiver, said below.
  }
  if (answer.status === 200 && json.woken === 0 && typeof json.ignored === 'string') return { kind: 'accepted' };
  if (answer.status === 401 && typeof json.error === 'string' && json.error.includes('X-MMS-Signature'))
    return { kind: secret === undefined ? 'unsigned-refused' : 'secret-refused' };
  return { kind: 'not-the-receiver', detail: `HTTP ${answer.status}${answer.text ? `: ${answer.text.slice(0, 120)}` : ''}` };
}

/** The receiver's secret: from Secrets Manager (`--secret-name`) or ATLAS_ALERT_WEBHOOK_SECRET. */
export async function readWebhookSecret(secretName: string | undefined, env: Record<string, string | undefined>, action: 'setup' | 'check' = 'setup'): Promise<string> {
  if (secretName === undefined) {
    const value = env[WEBHOOK_SECRET_VARIABLE];
    if (!value) throw new UsageError(`alerts ${action} needs the receiver's secret: --secret-name NAME (Secrets Manager) or ${WEBHOOK_SECRET_VARIABLE}`);
    return value;
  }
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({});
  let text: string | undefined;
  try {
    text = (await client.send(new GetSecretValueCommand({ SecretId: secretName }))).SecretString;
  } catch (error) {
    // The SDK's error names the failure (AccessDenied, ResourceNotFound), never the value.
    throw new Error(`Could not read the webhook secret "${secretName}" from Secrets Manager: ${error instanceof Error ? error.name : 'unknown error'}`);
  } finally {
    client.destroy();
  }
  if (!text) throw new Error(`The secret "${secretName}" has no SecretString`);
  return webhookSecretFromText(text, secretName);
}

export interface AlertsCommandOptions {
  action: 'setup' | 'check';
  project?: string;
  url?: string;
  secretName?: string;
  force?: boolean;
}

/** `npm run restore -- alerts setup|check ...` against the Atlas the MONGODB_ATLAS_* variables name. */
export async function runAlertsCommand(
  options: AlertsCommandOptions,
  out: Output,
  env: Record<string, string | undefined> = process.env,
  post: PostDelivery = postDelivery,
): Promise<number> {
  if (!options.project) throw new UsageError(`alerts ${options.action} needs --project GROUP_ID`);
  if (!options.url) throw new UsageError(`alerts ${options.action} needs --url RECEIVER_URL (the stack output)`);
  const project = checkProject(options.project);
  const url = checkReceiverUrl(options.url);
  const secret = options.action === 'setup' ? await readWebhookSecret(options.secretName, env) : undefined;
  // check signs its test delivery when it can; without a secret the receiver's own refusal still shows it is there.
  const checkSecret =
    options.action === 'check' && (options.secretName !== undefined || env[WEBHOOK_SECRET_VARIABLE]) ? await readWebhookSecret(options.secretName, env, 'check') : undefined;
  const connection = connectionFromEnv(env);
  const client = createAtlasClient({ baseUrl: connection.baseUrl, credentials: connection.credentials });
  const where = `project ${project} on ${describeAtlasTarget(baseUrlFromEnv(env))}`;
  try {
    if (secret !== undefined) {
      out.heading(`Wiring restore alerts of ${where}`);
      const { changed, changes } = await setupAlerts({ client, project, url, secret, ...(options.force && { force: true }) });
      for (const c of changes)
        out.line(`${c.eventTypeName}: ${c.action === 'unchanged' ? 'already wired, unchanged' : c.action}${c.why ? ` (${c.why})` : ''} (alert configuration ${c.id})`);
      out.line(
        changed
          ? `Done: Atlas now sends restore alerts to ${url}.`
          : 'Nothing changed: the project was already wired (Atlas never shows the secret; --force re-sends it).',
      );
      return 0;
    }
    out.heading(`Checking restore alerts of ${where}`);
    const { wired, events } = await checkAlerts({ client, project, url });
    for (const e of events) {
      const state = !e.present ? 'missing' : !e.pointsAtUrl ? 'present but not pointing at the receiver' : !e.enabled ? 'pointing at the receiver but disabled' : 'wired';
      out.line(`${e.eventTypeName}: ${state}${e.id ? ` (alert configuration ${e.id})` : ''}`);
    }
    const receiver = await probeReceiver(url, project, checkSecret, post);
    const answers = receiver.kind === 'accepted' || receiver.kind === 'unsigned-refused';
    out.line(
      receiver.kind === 'accepted'
        ? `Receiver ${url}: answered a signed test delivery as the alert receiver does, with this secret`
        : receiver.kind === 'unsigned-refused'
          ? `Receiver ${url}: answers as the alert receiver does (its secret was not checked: give --secret-name or ${WEBHOOK_SECRET_VARIABLE})`
          : receiver.kind === 'secret-refused'
            ? `Receiver ${url}: refused the test delivery signed with this secret: it holds another one, so it would refuse Atlas's alerts too (run alerts setup --force with the receiver's secret)`
            : `Receiver ${url}: does not answer as the alert receiver (${receiver.detail})`,
    );
    if (wired && answers) out.line('The project is wired: restores are seen ending within seconds.');
    else if (!wired) out.line('The project is NOT wired: run `alerts setup` with the same --project and --url (restores fall back to polling).');
    else out.line('The project is NOT wired: Atlas sends its alerts there, but the receiver does not take them (restores fall back to polling).');
    return wired && answers ? 0 : 1;
  } finally {
    await client.close();
  }
}
