import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AtlasCredentials } from '../../functions/core/atlas/credentials.js';
import { MemoryDeliveryLedger } from '../../functions/core/notify/ledger.js';
import { MemoryUndeliveredReports } from '../../functions/core/notify/undelivered.js';
import type { NotifyChannels } from '../../functions/core/finish/finishRestore.js';
import type { RestoreReport } from '../../functions/core/notify/message.js';
import { MemoryTargetHolds } from '../../functions/core/orchestrate/holds.js';
import { MemoryTargetLocks } from '../../functions/core/orchestrate/locks.js';
import { MemoryRunRecords } from '../../functions/core/orchestrate/runRecords.js';
import { MemoryRestoreHistory } from '../../functions/core/history/store.js';
import type { PlansConfig } from '../../functions/core/plans/schema.js';
import { useLocalEnvironment } from '../../functions/runtime/environment.js';
import { MemoryAlertWaiters } from '../../functions/core/push/waiters.js';
import type { SimulatorHandle } from '../simulator/index.js';
import { LocalWakeBoard, startAlertReceiver } from './localAlerts.js';

/**
 * The embedded default world around the real handlers: the simulator as Atlas, its clock as the
 * handlers' clock, in-process target locks and delivery records, and notification channels that
 * record what would be sent (SNS, EventBridge) plus a real local HTTP server standing in for the
 * webhook.
 */

interface SentNotification {
  channel: 'sns' | 'eventBridge' | 'webhook';
  report?: RestoreReport;
  text?: string;
  /** What the webhook server received (Slack, Teams or JSON body). */
  body?: unknown;
}

export interface LocalWorld {
  sent: SentNotification[];
  webhookUrl: string;
  /** The world's holds and run records (what the lock table keeps in AWS), on the simulator's clock. */
  holds: MemoryTargetHolds;
  runs: MemoryRunRecords;
  /**
   * Push completion: the receiver Atlas (the simulator) delivers restore alerts to, the secret they
   * are signed with, the waits it can end, and the waiters it finds them by.
   */
  alerts: { url: string; webhookSecret: string; board: LocalWakeBoard; waiters: MemoryAlertWaiters };
  /** The restore history of this world's runs (what the history table keeps in AWS). */
  history: MemoryRestoreHistory;
  /** Delivery records and reports kept after a channel missed them through notify's retries (replay them from here). */
  ledger: MemoryDeliveryLedger;
  undelivered: MemoryUndeliveredReports;
  /** Makes the next webhook posts answer these statuses (then 200 again). */
  failWebhook(statuses: number[]): void;
  close(): Promise<void>;
}

export async function useSimulatorWorld(options: {
  simulator: SimulatorHandle;
  credentials: AtlasCredentials;
  plans: PlansConfig;
  /** Simulated seconds per real second when the simulator runs a scaled clock (client backoff shrinks to match). */
  timeScale?: number;
}): Promise<LocalWorld> {
  const { simulator } = options;
  const sent: SentNotification[] = [];
  const failures: number[] = [];
  const hook: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
    req.on('end', () => {
      const status = failures.shift() ?? 200;
      if (status < 300) sent.push({ channel: 'webhook', body: JSON.parse(data) as unknown });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  const now = () => new Date(simulator.clock.now());
  const channels: NotifyChannels = {
    sns: async (report, text) => void sent.push({ channel: 'sns', report, text }),
    eventBridge: async (report) => void sent.push({ channel: 'eventBridge', report }),
    webhookUrl: async () => webhookUrl,
  };
  const holds = new MemoryTargetHolds(now);
  const runs = new MemoryRunRecords(now);
  const board = new LocalWakeBoard();
  const waiters = new MemoryAlertWaiters(now);
  // A fresh secret per world, as an operator would make one: nothing checked in, nothing guessable.
  const webhookSecret = randomBytes(24).toString('base64url');
  const receiver = await startAlertReceiver();
  const history = new MemoryRestoreHistory();
  const ledger = new MemoryDeliveryLedger(now);
  const undelivered = new MemoryUndeliveredReports();
  useLocalEnvironment({
    connection: { baseUrl: simulator.baseUrl, credentials: options.credentials },
    plans: options.plans,
    now,
    locks: new MemoryTargetLocks(now),
    ledger,
    undelivered,
    holds,
    runs,
    history,
    notifyChannels: channels,
    alerts: { waiters, wake: board.wake, webhookSecret },
    client: {
      // Backoff and Retry-After pass on the simulator's clock (instantly with a manual one).
      sleep: async (ms) => {
        if (simulator.clock.sleep) await simulator.clock.sleep(ms);
        else if (simulator.clock.mode === 'manual') simulator.clock.advance(ms);
        else await new Promise((r) => setTimeout(r, ms / (options.timeScale ?? 1)));
      },
    },
  });
  return {
    sent,
    webhookUrl,
    holds,
    runs,
    alerts: { url: receiver.url, webhookSecret, board, waiters },
    history,
    ledger,
    undelivered,
    failWebhook: (statuses) => void failures.push(...statuses),
    async close() {
      useLocalEnvironment(undefined);
      await Promise.all([new Promise((resolve) => hook.close(resolve)), receiver.close()]);
    },
  };
}
