import { ENV } from '../core/domain/observability.js';
import { localEnvironment, type LocalEnvironment } from './local.js';

/**
 * One rule for every store kept in the lock table (locks, delivery records, holds and run records):
 * the local world's when there is one, else the lock table's when the environment names it, else an
 * in-process one (a local run, a test). A handler that is given a table it cannot open fails loudly:
 * a per-process store in a Lambda would silently forget what other invocations did. Each store is
 * opened once per process; the DynamoDB opener is handed in by the handlers lib/ grants the table to,
 * so the others never bundle the DynamoDB client.
 */
export interface TableStore<T> {
  /** The store of this process; `open` opens it in the lock table of that name. */
  get(open?: (tableName: string) => Promise<T>): Promise<T>;
  /** Forget it (a new local world gets a fresh one). */
  reset(): void;
}

export function tableStore<T>(what: string, fromLocal: (local: LocalEnvironment) => T | undefined, inProcess: () => T): TableStore<T> {
  let opened: T | undefined;
  return {
    async get(open) {
      const local = localEnvironment();
      const given = local ? fromLocal(local) : undefined;
      if (given) return given;
      if (opened) return opened;
      const table = process.env[ENV.lockTable];
      if (!table) return (opened = inProcess());
      if (!open) throw new Error(`${ENV.lockTable} is set but this handler was built without the ${what} store`);
      return (opened = await open(table));
    },
    reset() {
      opened = undefined;
    },
  };
}
