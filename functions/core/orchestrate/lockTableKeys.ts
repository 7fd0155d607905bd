/**
 * The lock table's attribute names: lib/lock-table.ts builds the table with them and every store kept
 * in it (locks, holds, run records, delivery records, undelivered reports) reads and writes by them.
 * One place, so the table and its stores cannot drift apart.
 */
export const LOCK_TABLE_KEYS = { partition: 'target', ttl: 'expiresAt' } as const;
