/** Names lib/history-table.ts and the handlers share: the table's attributes, its index, the environment variable. */
export const HISTORY_TABLE_ENV = 'RESTORE_HISTORY_TABLE';
export const HISTORY_KEY = 'restoreId';
export const HISTORY_TTL = 'expiresAt';
export const HISTORY_BY_PLAN_INDEX = 'byPlan';
export const HISTORY_PLAN = 'plan';
export const HISTORY_STARTED = 'startedAt';
