import * as z from 'zod';

/**
 * Field rules Atlas documents for the restore endpoints, written once here and reused by every
 * request schema (and, independently, re-implemented by the simulator so the two check each other).
 */

/** Project, snapshot, job and batch ids. */
export const ObjectId = z.string().regex(/^[a-f0-9]{24}$/, 'must be a 24-character lowercase hex id');

/**
 * Every cluster name: dedicated clusters, Flex and shared tier, sources and targets. Atlas creates
 * all of them under this ASCII rule (at most 64 characters), so a name outside it cannot name a
 * real cluster and is refused here, before it can look like one (a Cyrillic `а`, a Kelvin sign `K`,
 * a zero-width space).
 */
export const ClusterName = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9-]*$/, 'must start with a letter or digit and contain only ASCII letters, digits and hyphens');

/** A name or a `*` pattern of names (protected targets, the ad-hoc policy): the cluster rule plus `*`. */
export const ClusterPattern = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-zA-Z0-9*][a-zA-Z0-9*-]*$/, 'must be a cluster name or a pattern of ASCII letters, digits, hyphens and *');

/** Atlas refuses times before 2008-01-01 (1199145600). */
const EPOCH_FLOOR_SECONDS = 1_199_145_600;
export const EpochSeconds = z
  .number()
  .int('must be a whole number of seconds')
  .min(EPOCH_FLOOR_SECONDS, `must be at least ${EPOCH_FLOOR_SECONDS} (2008-01-01T00:00:00Z)`)
  .max(2_147_483_647, 'must fit in 32 bits (Atlas stores it as int32)');
export const OplogIncrement = z.number().int('must be a whole number').min(1, 'must be at least 1');
export const EpochMillis = z
  .number()
  .int('must be a whole number of milliseconds')
  .min(EPOCH_FLOOR_SECONDS * 1000, `must be at least ${EPOCH_FLOOR_SECONDS * 1000} (2008-01-01T00:00:00Z)`);

export const SourceCluster = z.object({ groupId: ObjectId, clusterName: ClusterName }).strict();
export type SourceCluster = z.infer<typeof SourceCluster>;
