/**
 * Restores waiting for an Atlas alert, by project. Each wait between looks registers one entry per
 * project the restore is watched in (its source's and its target's), holding the Step Functions
 * task token that ends the wait. The alert receiver wakes every entry of the alert's project.
 *
 * Neither side can miss the other: the receiver notes the alert first and then reads the waiters;
 * a wait registers first and then reads the last alert. An alert that lands between a restore's
 * last look and its registration is seen by the registration, which then wakes itself at once.
 */
export interface AlertWaiter {
  groupId: string;
  restoreId: string;
  /** The task token of this wait (a new one every wait). */
  token: string;
  /** When the entry may be forgotten: after the wait's backstop has passed. */
  until: Date;
}

export interface AlertWaiters {
  /** Registers this restore's current wait on a project (replacing its previous one). */
  register(waiter: AlertWaiter): Promise<void>;
  /** Every current wait on the project. */
  waiting(groupId: string): Promise<AlertWaiter[]>;
  /** Forgets a wait, unless the restore has registered a newer one since. */
  remove(groupId: string, restoreId: string, token: string): Promise<void>;
  /**
   * Notes that an alert arrived for the project now. False when this very alert (the same
   * delivery key) was taken before: a duplicate or a replay, which wakes nothing again. The
   * delivery is remembered until `keepUntil`; the project's last alert for LAST_ALERT_KEPT_MS.
   */
  noteAlert(alert: ReceivedAlert, deliveryKey: string, keepUntil: Date): Promise<boolean>;
  /** The project's last alert, if one came within LAST_ALERT_KEPT_MS. */
  lastAlert(groupId: string): Promise<ReceivedAlert | undefined>;
  /**
   * Notes that a restore in the project ended without the alert Atlas owed it (./missed.ts); kept
   * LAST_ALERT_KEPT_MS. A later miss replaces an earlier one.
   */
  noteMissed(groupId: string, at: Date): Promise<void>;
  /** When the project last missed an alert, if within LAST_ALERT_KEPT_MS. */
  lastMissed(groupId: string): Promise<Date | undefined>;
}

/**
 * How long a project's last alert is kept. Besides waking a restore that registered late, it is
 * the evidence that Atlas's alerts reach us from that project at all (./heard.ts): a project
 * restored from monthly still counts as heard from.
 */
export const LAST_ALERT_KEPT_MS = 35 * 24 * 60 * 60 * 1000;

/** A restore alert as the receiver took it. */
export interface ReceivedAlert {
  groupId: string;
  eventTypeName: string;
  at: Date;
}

/** In-process waiters: the local runner and the tests (one process is the whole world). */
export class MemoryAlertWaiters implements AlertWaiters {
  private readonly waits = new Map<string, AlertWaiter>();
  private readonly alerts = new Map<string, { alert: ReceivedAlert; until: Date }>();
  private readonly seen = new Map<string, Date>();
  private readonly misses = new Map<string, Date>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async register(waiter: AlertWaiter): Promise<void> {
    this.waits.set(`${waiter.groupId}/${waiter.restoreId}`, { ...waiter });
  }

  async waiting(groupId: string): Promise<AlertWaiter[]> {
    const now = this.now().getTime();
    return [...this.waits.values()].filter((w) => w.groupId === groupId && w.until.getTime() > now).map((w) => ({ ...w }));
  }

  async remove(groupId: string, restoreId: string, token: string): Promise<void> {
    const key = `${groupId}/${restoreId}`;
    if (this.waits.get(key)?.token === token) this.waits.delete(key);
  }

  async noteAlert(alert: ReceivedAlert, deliveryKey: string, keepUntil: Date): Promise<boolean> {
    const now = this.now().getTime();
    const seenUntil = this.seen.get(deliveryKey);
    if (seenUntil && seenUntil.getTime() > now) return false;
    this.seen.set(deliveryKey, keepUntil);
    this.alerts.set(alert.groupId, { alert: { ...alert }, until: new Date(alert.at.getTime() + LAST_ALERT_KEPT_MS) });
    return true;
  }

  async lastAlert(groupId: string): Promise<ReceivedAlert | undefined> {
    const last = this.alerts.get(groupId);
    return last && last.until.getTime() > this.now().getTime() ? { ...last.alert } : undefined;
  }

  async noteMissed(groupId: string, at: Date): Promise<void> {
    this.misses.set(groupId, new Date(at.getTime()));
  }

  async lastMissed(groupId: string): Promise<Date | undefined> {
    const at = this.misses.get(groupId);
    return at && at.getTime() + LAST_ALERT_KEPT_MS > this.now().getTime() ? new Date(at.getTime()) : undefined;
  }
}
