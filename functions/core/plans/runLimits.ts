/**
 * Limits of a restore's life, on their own so that the steps that read no plans (poll, cancel:
 * ../orchestrate/watch.ts) do not load the plans schema and its schedule checks (cron-validate).
 * Ad-hoc requests (no plan) get the defaults.
 */
export const MAX_DEADLINE_MINUTES = 7 * 24 * 60;
export const MAX_WATCH_MINUTES = 3 * 24 * 60;
/** Bounded so the create step (which waits it out) fits in Lambda's 15 minutes with its Atlas calls. */
export const MAX_CREATE_SETTLE_SECONDS = 300;
export const DEFAULT_RUN_LIMITS = { deadlineMinutes: 12 * 60, watchAfterEndMinutes: 24 * 60, createSettleSeconds: 60 } as const;
/**
 * The default wait between looks (restore/pollPolicy.ts): a 30 s floor and a one-hour cap meet
 * "seen ending within max(30 s, 5 % of its age)" at every age, at about 125 Atlas calls for 24 h.
 */
export const DEFAULT_POLL = { floorSeconds: 30, capSeconds: 3600 } as const;
