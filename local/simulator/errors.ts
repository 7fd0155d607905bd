import { STATUS_CODES } from 'node:http';

/**
 * Atlas's error body: `{error, errorCode, detail, reason, parameters, badRequestDetail?}`, always
 * `application/json`. Codes and wording follow Atlas's published error-code list where it has one.
 */
export interface FieldViolation {
  field: string;
  description: string;
}

export interface ApiErrorBody {
  error: number;
  errorCode: string;
  detail: string;
  reason: string;
  parameters: unknown[];
  badRequestDetail?: { fields: FieldViolation[] };
}

export class SimApiError extends Error {
  override name = 'SimApiError';
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly detail: string,
    readonly parameters: unknown[] = [],
    readonly fields?: FieldViolation[],
    /** Extra response headers (Retry-After, WWW-Authenticate). */
    readonly headers: Record<string, string | string[]> = {},
  ) {
    super(`${status} ${errorCode}: ${detail}`);
  }

  body(): ApiErrorBody {
    const body: ApiErrorBody = {
      error: this.status,
      errorCode: this.errorCode,
      detail: this.detail,
      reason: STATUS_CODES[this.status] ?? 'Error',
      parameters: this.parameters,
    };
    if (this.fields) body.badRequestDetail = { fields: this.fields };
    return body;
  }
}

const field = (name: string, description: string): FieldViolation[] => [{ field: name, description }];

/** The catalogue, so every module says the same thing the same way. */
export const errors = {
  validation: (fields: FieldViolation[]) =>
    new SimApiError(
      400,
      'VALIDATION_ERROR',
      `The request content produced the validation error: ${fields.map((f) => `${f.field} ${f.description}`).join('; ')}.`,
      [],
      fields,
    ),
  invalidAttribute: (name: string, why: string) =>
    new SimApiError(400, 'INVALID_ATTRIBUTE', `Invalid attribute ${name} specified. ${why}`, [name], field(name, why)),
  missingAttribute: (name: string, why = 'is required') =>
    new SimApiError(400, 'MISSING_ATTRIBUTE', `The required attribute ${name} was not specified.`, [name], field(name, why)),
  missingOneOf: (names: string[]) =>
    new SimApiError(
      400,
      'MISSING_ONE_OF_MANY_ATTRIBUTES',
      `One of the following required attributes may not have been specified: ${names.join(', ')}.`,
      [names.join(', ')],
      names.map((n) => ({ field: n, description: `one of ${names.join(', ')} is required` })),
    ),
  readOnlyAttribute: (name: string) =>
    new SimApiError(
      400,
      'ATTRIBUTE_READ_ONLY',
      `The attribute ${name} is read-only and cannot be changed by the user.`,
      [name],
      field(name, 'is read-only'),
    ),
  invalidEnum: (name: string, value: unknown, allowed: readonly string[]) =>
    new SimApiError(
      400,
      'INVALID_ENUM_VALUE',
      `An invalid enumeration value ${String(value)} was specified.`,
      [String(value)],
      field(name, `must be one of ${allowed.join(', ')}`),
    ),
  invalidJsonAttribute: (name: string, why: string) =>
    new SimApiError(400, 'INVALID_JSON_ATTRIBUTE', `Received JSON for the ${name} attribute does not match expected format.`, [name], field(name, why)),
  malformedJson: () => new SimApiError(400, 'MALFORMED_JSON', 'Received JSON is malformed.'),
  invalidJson: () => new SimApiError(400, 'INVALID_JSON', 'Received JSON does not match expected format.'),
  invalidQuery: (name: string, why: string) =>
    new SimApiError(400, 'INVALID_QUERY_PARAMETER', `Invalid query parameter ${name} specified.`, [name], field(name, why)),
  invalidPitTime: (name: string, why: string) =>
    new SimApiError(400, 'INVALID_PIT_RESTORE_TIME', `Please provide a valid UTC time or an operation time (ts). ${why}`, [], field(name, why)),

  unauthorized: (detail = 'You are not authorized for this resource.', headers: Record<string, string | string[]> = {}) =>
    new SimApiError(401, 'UNAUTHORIZED', detail, [], undefined, headers),
  forbidden: () => new SimApiError(403, 'USER_UNAUTHORIZED', 'Current user is not authorized to perform this action.'),
  cannotRestoreToTarget: () =>
    new SimApiError(403, 'CANNOT_RESTORE_TO_TARGET', 'Cannot restore with insufficient permission on source snapshot or target cluster.'),

  groupNotFound: (groupId: string) => new SimApiError(404, 'GROUP_NOT_FOUND', `No group with ID ${groupId} exists.`, [groupId]),
  clusterNotFound: (name: string, groupId: string) =>
    new SimApiError(404, 'CLUSTER_NOT_FOUND', `No cluster named ${name} exists in group ${groupId}.`, [name, groupId]),
  snapshotNotFound: (id: string, cluster: string) =>
    new SimApiError(404, 'SNAPSHOT_NOT_FOUND', `No snapshot with ID ${id} exists for cluster ${cluster}.`, [id, cluster]),
  tenantSnapshotNotFound: (id: string, cluster: string) =>
    new SimApiError(404, 'TENANT_SNAPSHOT_NOT_FOUND', `No M2/M5 snapshot with ID ${id} exists for cluster ${cluster}.`, [id, cluster]),
  restoreJobNotFound: (id: string, cluster: string) =>
    new SimApiError(404, 'RESTORE_JOB_NOT_FOUND', `No restore job with ID ${id} exists for cluster ${cluster}.`, [id, cluster]),
  tenantRestoreNotFound: (id: string, cluster: string) =>
    new SimApiError(404, 'TENANT_RESTORE_NOT_FOUND', `No M2/M5 restore with ID ${id} exists for cluster ${cluster}.`, [id, cluster]),
  checkpointNotFound: (id: string, cluster: string) =>
    new SimApiError(404, 'CHECKPOINT_NOT_FOUND', `No checkpoint with ID ${id} exists for cluster ${cluster}.`, [id, cluster]),
  noSnapshotBeforePit: () =>
    new SimApiError(404, 'UNABLE_T0_FIND_SNAPSHOT_PRIOR_TO_PIT_RESTORE_OPTIME', 'Unable to find snapshot prior to pit restore optime.'),
  alertConfigNotFound: (id: string, groupId: string) =>
    new SimApiError(404, 'ALERT_CONFIG_NOT_FOUND', `No alert configuration with ID ${id} exists in group ${groupId}.`, [id, groupId]),
  resourceNotFound: (path: string) => new SimApiError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${path}.`, [path]),

  flexInClusterApi: (name: string) =>
    new SimApiError(400, 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API', `Flex cluster ${name} cannot be used in the Cluster API.`, [name]),
  nonFlexInFlexApi: (name: string) =>
    new SimApiError(400, 'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API', `Cannot use non-flex cluster ${name} in the flex API.`, [name]),
  incorrectBackupEndpoint: (suggested: string) =>
    new SimApiError(
      400,
      'INCORRECT_BACKUP_API_ENDPOINT',
      `Incorrect Public API endpoint for this cluster's backups. Please use the following end point: (${suggested}).`,
      [suggested],
    ),

  clusterPaused: (name: string) =>
    new SimApiError(
      400,
      'CLUSTER_PAUSED_CANNOT_RESTORE',
      'Backup restore cannot occur on a paused cluster. Please unpause the target cluster or choose another target cluster.',
      [name],
    ),
  /** Inferred code: Atlas documents the rule (same or next major, never older), not the code. */
  restoreVersionIncompatible: (target: string, targetVersion: string, snapshotVersion: string) =>
    new SimApiError(
      400,
      'RESTORE_TARGET_VERSION_INCOMPATIBLE',
      `Cannot restore a snapshot of MongoDB ${snapshotVersion} onto ${target}, which runs ${targetVersion}: the target must run the same major version or the next higher one.`,
      [target, targetVersion, snapshotVersion],
    ),
  /** Inferred rule and code: the target's disk must hold the snapshot. */
  insufficientDisk: (target: string, diskGB: number, snapshotGB: number) =>
    new SimApiError(
      400,
      'INSUFFICIENT_DISK_SPACE_FOR_RESTORE',
      `Cluster ${target} has ${diskGB} GB of disk, less than the ${snapshotGB.toFixed(1)} GB snapshot.`,
      [target, diskGB, snapshotGB],
    ),
  sharedTierIntoSharded: (name: string) =>
    new SimApiError(400, 'TENANT_RESTORE_INCOMPATIBLE_TOPOLOGY', 'Tenant backups can not be restored into sharded clusters.', [name]),
  sharedTierVersionMismatch: (name: string) =>
    new SimApiError(400, 'TENANT_RESTORE_VERSION_MISMATCH', 'The specified snapshot and target cluster have mismatched versions of MongoDB.', [name]),
  cancelNotAllowed: (detail: string) => new SimApiError(405, 'ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED', detail),
  methodNotAllowed: (method: string, path: string) =>
    new SimApiError(405, 'METHOD_NOT_ALLOWED', `Method ${method} is not allowed on ${path}.`, [method]),
  /** The spec's shared `gone` answer (410 VERSION_GONE): an endpoint whose sunset date has passed. */
  versionGone: (path: string, sunset: string) =>
    new SimApiError(410, 'VERSION_GONE', `${path} was sunset on ${sunset} and is no longer served.`, [path, sunset]),
  notAcceptable: () => new SimApiError(406, 'INVALID_VERSION_DATE', 'Invalid accept header or version date.'),

  incompleteSnapshot: (id: string) =>
    new SimApiError(409, 'CANNOT_START_RESTORE_JOB_FOR_INCOMPLETE_CLUSTER_SNAPSHOT', `Cannot start restore job for incomplete snapshot ${id}.`, [id]),
  downloadInProgress: (id: string) =>
    new SimApiError(
      409,
      'CANNOT_DOWNLOAD_SNAPSHOT_CONCURRENTLY',
      'Cannot create a manual download of a snapshot when there is already an active download for that snapshot.',
      [id],
    ),
  tooManyDownloads: (limit: number) =>
    new SimApiError(
      409,
      'TOO_MANY_SNAPSHOT_DOWNLOADS',
      `Cannot create a manual download of a snapshot when the project is at its limit for active downloads (${limit}).`,
      [limit],
    ),
  collectionRestoreInProgress: (cluster: string) =>
    new SimApiError(409, 'COLLECTION_RESTORE_IN_PROGRESS', `A collection restore job is already in progress for cluster ${cluster}.`, [cluster]),
  collectionRestoreJobNotFound: (id: string, cluster: string) =>
    new SimApiError(404, 'COLLECTION_RESTORE_JOB_NOT_FOUND', `No collection restore job with ID ${id} exists for cluster ${cluster}.`, [id, cluster]),
  namespaceNotFound: (what: string, name: string) =>
    new SimApiError(404, 'RESOURCE_NOT_FOUND', `No ${what} named ${name} exists.`, [name]),
  restoreInProgress: (target: string) =>
    new SimApiError(409, 'ATLAS_CLUSTER_RESTORE_IN_PROGRESS', `Cluster restore already in progress on ${target}.`, [target]),

  rateLimited: (limit: number, retryAfterSeconds: number) =>
    new SimApiError(429, 'RATE_LIMITED', `Resource is limited to ${limit} requests; retry after ${retryAfterSeconds} seconds.`, [], undefined, {
      'Retry-After': String(retryAfterSeconds),
    }),
  unexpected: (status = 500) =>
    status === 500
      ? new SimApiError(500, 'UNEXPECTED_ERROR', 'Unexpected error.')
      : new SimApiError(status, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable. Please try again later.'),
};
