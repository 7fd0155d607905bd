import * as z from 'zod';
import { SecretName } from './secretName.js';

/**
 * Push completion, for the whole stack (the plans file's top-level `alerts`). Present: the stack
 * deploys the alert receiver, and every Cloud Backup restore waits between looks for an Atlas
 * alert from its projects or the backstop delay, whichever comes first. The backstop is what
 * still sees a restore end when an alert is lost or the project's alerts are not set up: it looks
 * when `backstopPercent` of the restore's age has passed since the last look (never less than
 * `backstopFloorSeconds`), so a restore is seen ending within max(floor, percent % of its age)
 * even with every alert lost.
 */
const DEFAULT_ALERTS = { backstopPercent: 20, backstopFloorSeconds: 60 } as const;

export const AlertsSettings = z
  .object({
    /** Secrets Manager name of the shared secret Atlas signs its webhook alerts with. */
    webhookSecretName: SecretName,
    backstopPercent: z.number().int().min(5).max(50).default(DEFAULT_ALERTS.backstopPercent),
    backstopFloorSeconds: z.number().int().min(30).max(600).default(DEFAULT_ALERTS.backstopFloorSeconds),
  })
  .strict();
export type AlertsSettings = z.infer<typeof AlertsSettings>;
