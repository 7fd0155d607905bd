import { createHmac } from 'node:crypto';
import { collectionRestoreEvent } from '../state/namespaces.js';
import { Agent, request } from 'undici';
import type { SimClock } from '../clock.js';
import type { JobState } from '../state/model.js';
import type { Store } from '../state/store.js';
import { iso } from '../time.js';
import type { DeliveryDecision, DeliveryFaultEngine } from './deliveryFaults.js';

/**
 * Atlas telling a webhook that a Cloud Backup restore ended. When a cloud restore job's end is
 * decided, the alert is put on the simulated clock for that moment; when it comes, every enabled
 * alert configuration of the job's project on the matching event type sends its WEBHOOK
 * notifications an alert body (`DefaultAlertViewForNdsGroup`: no job id, no cluster name), with
 * `X-MMS-Event` and, when the notification has a secret, `X-MMS-Signature` = Base64(HMAC-SHA1(secret,
 * raw body)). A success raises CPS_RESTORE_SUCCESSFUL, a failure CPS_RESTORE_FAILED; a cancelled,
 * killed or expired job raises nothing (Atlas documents no alert for them). Any non-2xx answer is a
 * failed delivery, never retried (Atlas documents no retries). Flex, tenant and legacy restores
 * raise nothing: Atlas has no alert event types for them.
 */

const RESTORE_EVENTS = { succeed: 'CPS_RESTORE_SUCCESSFUL', fail: 'CPS_RESTORE_FAILED' } as const;
/** Restore alerts are point-in-time events: Atlas's "informational alert" header value. */
const RESTORE_ALERT_HEADER = 'alert.inform';
const SEND_TIMEOUT_MS = 10_000;

export interface DeliveryRecord {
  alertId: string;
  alertConfigId: string;
  groupId: string;
  eventTypeName: string;
  /** The simulator's job whose end raised the alert (for tests: the alert itself names no job). */
  jobId: string;
  url: string;
  /** The X-MMS-Event header sent. */
  event: string;
  signed: boolean;
  /** Signed with the wrong key (the `badSignature` fault). */
  badSignature: boolean;
  /** 1, or 2 for the second copy of a duplicated alert. */
  copy: number;
  /** When the job really ended, and when a GET first shows it ended (later with the `early` fault). */
  jobEndedAt: string;
  visibleEndAt: string;
  /** Simulated time of the send (or of the loss). */
  at: string;
  outcome: 'delivered' | 'failed' | 'lost';
  /** The receiver's answer; absent when none came. */
  status?: number;
  error?: string;
  fault?: string;
  /** The exact bytes sent (so a test can check the signature against what the receiver got). */
  body: string;
}

export interface DelivererDeps {
  store: Store;
  clock: SimClock;
  faults: () => DeliveryFaultEngine;
  baseUrl: () => string;
  log?: (line: string) => void;
}

function signBody(secret: string, body: string): string {
  return createHmac('sha1', secret).update(Buffer.from(body, 'utf8')).digest('base64');
}

export class AlertDeliverer {
  private readonly planned = new Map<string, { decision: DeliveryDecision; cancel?: () => void; raised?: boolean }>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly records: DeliveryRecord[] = [];
  private readonly agent = new Agent({ connect: { timeout: SEND_TIMEOUT_MS }, headersTimeout: SEND_TIMEOUT_MS, bodyTimeout: SEND_TIMEOUT_MS });

  constructor(private readonly deps: DelivererDeps) {}

  /** The store decided when (and how) a job ends: put its alert on the clock. */
  jobEndDecided(job: JobState): void {
    if ((job.family !== 'cloud' && job.family !== 'collection') || job.finishAt === undefined) return;
    const previous = this.planned.get(job.id);
    // Atlas alerts once per job: an end moved after the alert went out (finishJob during an
    // `early` lag) sends nothing more.
    if (previous?.raised) return;
    previous?.cancel?.();
    const event =
      job.family === 'collection'
        ? collectionRestoreEvent(job)
        : job.outcome === 'succeed' || job.outcome === 'fail'
          ? RESTORE_EVENTS[job.outcome]
          : undefined;
    if (!event) return;
    // A job ended again by finishJob keeps the fate drawn for it: one draw per job.
    const decision = previous?.decision ?? this.deps.faults().decide(event, job.groupId);
    const endedAt = job.finishAt;
    if (decision.earlyMs > 0) {
      // Atlas lag: the alert goes out at the end, a GET shows the end only later.
      job.finishAt += decision.earlyMs;
      job.durationMs += decision.earlyMs;
      if (job.linkExpiresAt !== undefined) job.linkExpiresAt += decision.earlyMs;
    }
    const cancel = this.deps.clock.schedule(endedAt + decision.delayMs, () => this.raise(job, event, endedAt, decision));
    this.planned.set(job.id, { decision, cancel });
  }

  private raise(job: JobState, eventTypeName: string, endedAt: number, decision: DeliveryDecision): void {
    this.planned.set(job.id, { decision, raised: true });
    // Cancelled before it ended: Atlas raises no restore alert (a collection restore has its own CANCELED event).
    if (job.family === 'cloud' && job.cancelledAt !== undefined && job.cancelledAt <= endedAt) return;
    const { store } = this.deps;
    const now = this.deps.clock.now();
    const project = store.projects.get(job.groupId);
    for (const config of store.alertConfigs.firing(job.groupId, eventTypeName)) {
      const id = store.newId();
      const alert = {
        id,
        groupId: job.groupId,
        alertConfigId: config.id,
        eventTypeName,
        status: 'OPEN',
        created: iso(now),
        updated: iso(now),
        lastNotified: iso(now),
        // Atlas docs: the text starts with the project (and organization) name; never the cluster.
        humanReadable: `Project: ${project?.name ?? job.groupId}\nA ${job.family === 'collection' ? 'collection-level' : 'Cloud Backup'} restore ${eventTypeName.endsWith('SUCCESSFUL') ? 'completed' : eventTypeName.endsWith('CANCELED') ? 'was cancelled' : eventTypeName.endsWith('PARTIAL_SUCCESS') ? 'partly completed' : 'failed'}.`,
        links: [{ href: `${this.deps.baseUrl()}/api/atlas/v2/groups/${job.groupId}/alerts/${id}`, rel: 'self' }],
      };
      const body = JSON.stringify(alert);
      for (const notification of config.notifications) {
        const base = {
          alertId: id,
          alertConfigId: config.id,
          groupId: job.groupId,
          eventTypeName,
          jobId: job.id,
          url: notification.webhookUrl,
          event: RESTORE_ALERT_HEADER,
          signed: notification.webhookSecret !== undefined || decision.badSignature,
          badSignature: decision.badSignature,
          jobEndedAt: iso(endedAt),
          visibleEndAt: iso(job.finishAt ?? endedAt),
          at: iso(now),
          ...(decision.label !== undefined && { fault: decision.label }),
          body,
        };
        if (decision.lost) {
          this.records.push({ ...base, copy: 1, outcome: 'lost' });
          continue;
        }
        const secret = notification.webhookSecret;
        const signature = decision.badSignature ? signBody(`${secret ?? ''}not-the-secret`, body) : secret !== undefined ? signBody(secret, body) : undefined;
        const copies = decision.duplicate ? [1, 2] : [1];
        this.track(
          copies.reduce(
            (chain, copy) => chain.then(() => this.send({ ...base, copy }, signature)),
            Promise.resolve(),
          ),
        );
      }
    }
  }

  private track(pending: Promise<void>): void {
    this.inFlight.add(pending);
    void pending.finally(() => this.inFlight.delete(pending));
  }

  private async send(base: Omit<DeliveryRecord, 'outcome'>, signature: string | undefined): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-mms-event': base.event };
    if (signature !== undefined) headers['x-mms-signature'] = signature;
    const record: DeliveryRecord = { ...base, at: iso(this.deps.clock.now()), outcome: 'failed' };
    try {
      const res = await request(base.url, { method: 'POST', headers, body: base.body, dispatcher: this.agent });
      await res.body.dump();
      record.status = res.statusCode;
      if (res.statusCode >= 200 && res.statusCode < 300) record.outcome = 'delivered';
    } catch (e) {
      record.error = e instanceof Error ? (e.message || e.name) : String(e);
    }
    this.records.push(record);
    this.deps.log?.(`alert ${base.eventTypeName} -> ${new URL(base.url).origin}: ${record.status ?? record.error} (${record.outcome})`);
  }

  /** Every alert sent, lost or failed so far, oldest first. */
  log(): DeliveryRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  clear(): void {
    this.records.length = 0;
  }

  /** Resolves once no alert is being sent (alerts due now included; later ones are not waited for). */
  async settled(): Promise<void> {
    do {
      // Alerts due now fire from a microtask or a timer: let them start before looking.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await Promise.allSettled([...this.inFlight]);
    } while (this.inFlight.size > 0);
  }

  async stop(): Promise<void> {
    for (const entry of this.planned.values()) entry.cancel?.();
    this.planned.clear();
    // A receiver that never answers must not hold the simulator open: abort what is in flight.
    await this.agent.destroy();
    await Promise.allSettled([...this.inFlight]);
  }
}
