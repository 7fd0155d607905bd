import type { DeliveryLedger } from '../core/notify/ledger.js';
import { MemoryDeliveryLedger } from '../core/notify/ledger.js';
import { now } from './local.js';
import { tableStore } from './tableStore.js';

/**
 * The delivery records notify reads and writes (functions/core/notify/ledger.ts), kept beside the
 * locks (./tableStore.ts). Per-process records in a Lambda would forget every earlier try, so each
 * retry would send again: a table this handler cannot open fails instead.
 */

/** Opens the delivery records kept in the lock table of that name. */
export type LedgerTable = (tableName: string) => Promise<DeliveryLedger>;

const store = tableStore<DeliveryLedger>('delivery records', (local) => local.ledger, () => new MemoryDeliveryLedger(now));

/** Forget the store (a new local world gets fresh records). */
export const resetDeliveryLedger = (): void => store.reset();

export const deliveryLedger = (ledgerTable?: LedgerTable): Promise<DeliveryLedger> => store.get(ledgerTable);
