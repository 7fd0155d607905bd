import type { AlertWaiters } from './waiters.js';

/**
 * Whether Atlas's restore alerts have reached us from any of a restore's projects lately (within
 * the time a project's last alert is kept, LAST_ALERT_KEPT_MS in ./waiters.ts), and have not been
 * missed since: a project whose last missed alert (./missed.ts) is newer than its last alert counts
 * as not heard, until its next alert arrives.
 *
 * Why it matters: with push on, a healthy restore looks at Atlas only on the backstop, which for a
 * long restore is far slower than plain polling. That trade is right only where alerts arrive. A
 * project whose alerts were never set up (or broke) would otherwise see its restores end hours
 * late without anyone noticing, so a restore in a project not heard from is polled as usual (and
 * still woken by an alert if one comes); the report says so.
 *
 * A store that cannot be read counts as "not heard": the cost is plain polling, never a late end.
 */
export async function alertsHeard(waiters: AlertWaiters, groupIds: readonly string[]): Promise<boolean> {
  for (const groupId of new Set(groupIds)) {
    const last = await waiters.lastAlert(groupId);
    if (!last) continue;
    // Alerts that were arriving and then one did not (a rotated secret, a deleted configuration):
    // the backstop would see every restore there late, so poll as usual until alerts come back.
    const missed = await waiters.lastMissed(groupId);
    if (!missed || missed.getTime() <= last.at.getTime()) return true;
  }
  return false;
}
