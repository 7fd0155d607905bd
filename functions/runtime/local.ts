import type { AtlasClientOptions } from '../core/atlas/client.js';
import type { AtlasConnection } from '../core/atlas/credentials.js';
import type { DeliveryLedger } from '../core/notify/ledger.js';
import type { UndeliveredReports } from '../core/notify/undelivered.js';
import type { NotifyChannels } from '../core/finish/finishRestore.js';
import type { TargetHolds } from '../core/orchestrate/holds.js';
import type { TargetLocks } from '../core/orchestrate/locks.js';
import type { RunRecords } from '../core/orchestrate/runRecords.js';
import type { PlansConfig } from '../core/plans/schema.js';
import type { AlertWaiters } from '../core/push/waiters.js';
import type { WakeTask } from '../core/workflow/wake.js';
import type { RestoreHistory } from '../core/history/store.js';

/**
 * The local world the handlers of this process are pointed at, if any (set by
 * `useLocalEnvironment` in ./environment.ts). Its own module, holding only types and state, so a
 * handler that never calls Atlas (notify) can read it without bundling the Atlas client.
 */

export interface LocalEnvironment {
  connection?: AtlasConnection;
  plans?: PlansConfig;
  now?: () => Date;
  locks?: TargetLocks;
  /** Which channels took which report (notify's delivery records). */
  ledger?: DeliveryLedger;
  /** Reports a channel missed through notify's retries, kept for replay (the CLI keeps them in a file). */
  undelivered?: UndeliveredReports;
  /** Holds and run records (the CLI keeps holds in a file); absent: in-process ones for this world. */
  holds?: TargetHolds;
  runs?: RunRecords;
  /** The restore history of local runs (memory, or the CLI's file). */
  history?: RestoreHistory;
  /** Where notify sends reports in local runs (a recorder, a local webhook). */
  notifyChannels?: NotifyChannels;
  /** Push completion in local runs: the waiters, how a wait is ended, the webhook secret. */
  alerts?: { waiters: AlertWaiters; wake: WakeTask; webhookSecret: string };
  /** Client options for local runs (e.g. `sleep` that does not really wait). */
  client?: Partial<Pick<AtlasClientOptions, 'sleep' | 'retry' | 'random' | 'dispatcher'>>;
}

let local: LocalEnvironment | undefined;

export function localEnvironment(): LocalEnvironment | undefined {
  return local;
}

export function setLocalEnvironment(environment: LocalEnvironment | undefined): void {
  local = environment;
}

/** The local world's clock, else the real one. */
export const now = (): Date => (local?.now ? local.now() : new Date());

/** The local channels when a local environment is in use; the notify handler uses AWS otherwise. */
export function localNotifyChannels(): NotifyChannels | undefined {
  return local?.notifyChannels;
}
