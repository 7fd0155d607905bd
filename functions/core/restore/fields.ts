import * as z from 'zod';

/**
 * Field rules Atlas documents for the restore endpoints, written once here and reused by every
 * request schema (and, independently, re-implemented by the simulator so the two check each other).
 */

/** Project, snapshot, job and batch ids. */
export const ObjectId = z.string().regex(/^[a-f0-9]{24}$/, 'must be a 24-character lowercase hex id');

/** Dedicated cluster names (source and target of cloud and legacy restores). */
export const ClusterName = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9-]*$/, 'must start with a letter or digit and contain only letters, digits and hyphens');

/** Flex and shared-tier target names (`targetDeploymentItemName`): letters of any script need the `u` flag. */
export const DeploymentItemName = z
  .string()
  .regex(/^[\p{L}\p{N}\-_.(),:&@+']{1,64}$/u, "must be 1-64 letters, digits or - _ . ( ) , : & @ + '");

/** Atlas refuses times before 2008-01-01 (1199145600). */
export const EPOCH_FLOOR_SECONDS = 1_199_145_600;
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
