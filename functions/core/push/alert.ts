import * as z from 'zod';
import { ObjectId } from '../restore/fields.js';

/**
 * The part of an Atlas alert (the body of a webhook delivery) that push completion reads. Atlas
 * sends more (humanReadable, status, created, updated, ...); we keep only what decides a wake and
 * ignore the rest, so a new field in Atlas's payload never breaks the receiver. A restore alert
 * names the project and the event, not the job or the cluster: it means "some restore in this
 * project ended", so it wakes every restore of ours waiting on that project.
 */
export const AtlasAlert = z.looseObject({
  id: z.string().max(64).optional(),
  groupId: ObjectId,
  eventTypeName: z.string().min(1).max(128),
  status: z.string().max(64).optional(),
  updated: z.string().max(64).optional(),
});
export type AtlasAlert = z.infer<typeof AtlasAlert>;

/** Cloud Backup restore alerts (Atlas has none for Flex, legacy or shared-tier restores). */
const RESTORE_ALERT_EVENTS = ['CPS_RESTORE_SUCCESSFUL', 'CPS_RESTORE_FAILED'] as const;

/** Collection-level restore alerts: they wake collection restores the same way. */
const COLLECTION_RESTORE_ALERT_EVENTS = [
  'CPS_COLLECTION_RESTORE_SUCCESSFUL',
  'CPS_COLLECTION_RESTORE_FAILED',
  'CPS_COLLECTION_RESTORE_PARTIAL_SUCCESS',
  'CPS_COLLECTION_RESTORE_CANCELED',
] as const;

const WAKING: ReadonlySet<string> = new Set([...RESTORE_ALERT_EVENTS, ...COLLECTION_RESTORE_ALERT_EVENTS]);

/** Does this alert say a restore in its project may have ended? */
export const wakesRestores = (alert: AtlasAlert): boolean => WAKING.has(alert.eventTypeName);

/** The largest alert body we read: Atlas's alerts are a few KiB; anything far larger is not one. */
export const MAX_ALERT_BYTES = 64 * 1024;
