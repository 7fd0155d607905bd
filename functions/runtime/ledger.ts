import type { DeliveryLedger } from '../core/notify/ledger.js';
import { MemoryDeliveryLedger } from '../core/notify/ledger.js';
import { ENV } from '../core/observability.js';
import { localEnvironment, now } from './local.js';

/**
 * The delivery records notify reads and writes (functions/core/notify/ledger.ts): the local
 * world's, the lock table's (the records live beside the locks), or in-process ones. As with the
 * locks (./locks.ts), the DynamoDB store is handed in by the handler (./lockTable.ts).
 */

/** Opens the delivery records kept in the lock table of that name. */
export type LedgerTable = (tableName: string) => Promise<DeliveryLedger>;

let processLedger: DeliveryLedger | undefined;

/** Forget the store (a new local world gets fresh records). */
export function resetDeliveryLedger(): void {
  processLedger = undefined;
}

export async function deliveryLedger(ledgerTable?: LedgerTable): Promise<DeliveryLedger> {
  const local = localEnvironment();
  if (local?.ledger) return local.ledger;
  if (processLedger) return processLedger;
  const table = process.env[ENV.lockTable];
  if (!table) return (processLedger = new MemoryDeliveryLedger(now));
  // Per-process records in a Lambda would forget every earlier try: each retry would send again.
  if (!ledgerTable) throw new Error(`${ENV.lockTable} is set but this handler was built without the delivery records store`);
  return (processLedger = await ledgerTable(table));
}
