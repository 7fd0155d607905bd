import type { DeliveryLedger } from '../core/notify/ledger.js';
import { MemoryDeliveryLedger } from '../core/notify/ledger.js';
import { now } from './local.js';
import { tableStore } from './tableStore.js';
import { MemoryUndeliveredReports, type UndeliveredReports } from '../core/notify/undelivered.js';

/**
 * The delivery records notify reads and writes (functions/core/notify/ledger.ts), kept beside the
 * locks (./tableStore.ts). Per-process records in a Lambda would forget every earlier try, so each
 * retry would send again: a table this handler cannot open fails instead.
 */

/** Opens the delivery records kept in the lock table of that name. */
export type LedgerTable = (tableName: string) => Promise<DeliveryLedger>;

const store = tableStore<DeliveryLedger>('delivery records', (local) => local.ledger, () => new MemoryDeliveryLedger(now));

/** Reports a channel missed through notify's retries, kept for replay beside the delivery records. */
export type UndeliveredTable = (tableName: string) => Promise<UndeliveredReports>;

const undeliveredStore = tableStore<UndeliveredReports>('undelivered reports', (local) => local.undelivered, () => new MemoryUndeliveredReports());

/** Forget the stores (a new local world gets fresh records). */
export const resetDeliveryLedger = (): void => {
  store.reset();
  undeliveredStore.reset();
};

export const undeliveredReports = (table?: UndeliveredTable): Promise<UndeliveredReports> => undeliveredStore.get(table);

export const deliveryLedger = (ledgerTable?: LedgerTable): Promise<DeliveryLedger> => store.get(ledgerTable);
