import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { OVERRIDABLE } from '../functions/core/plans/schema.js';

/**
 * API Gateway's model of `POST /restores`: the envelope, checked before the Lambda runs. The
 * Lambda checks everything again with the domain schemas (functions/core/api/schemas.ts), which
 * stay the authority; this model only keeps obvious junk (unknown fields, huge or oddly typed
 * overrides, non-ASCII names) away from it. `overrides` is spelled out here because its fields
 * are the ones an HTTP caller can point at another cluster.
 */

const S = apigw.JsonSchemaType;
const OBJECT_ID = '^[a-f0-9]{24}$';
/** Atlas's ASCII cluster name rule (functions/core/restore/fields.ts). */
const CLUSTER_NAME = '^[a-zA-Z0-9][a-zA-Z0-9-]*$';

const overrides: apigw.JsonSchema = {
  type: S.OBJECT,
  additionalProperties: false,
  properties: {
    snapshotId: { type: S.STRING, pattern: OBJECT_ID },
    pointInTimeUTCSeconds: { type: S.INTEGER, minimum: 1_199_145_600, maximum: 2_147_483_647 },
    target: {
      type: S.OBJECT,
      additionalProperties: false,
      required: ['groupId', 'clusterName'],
      properties: {
        groupId: { type: S.STRING, pattern: OBJECT_ID },
        clusterName: { type: S.STRING, minLength: 1, maxLength: 64, pattern: CLUSTER_NAME },
      },
    },
  },
};

/** Each plan field an override can change has its entry above (a new OVERRIDABLE needs one too). */
const OVERRIDE_FIELDS: Record<(typeof OVERRIDABLE)[number], string> = { snapshotId: 'snapshotId', pointInTime: 'pointInTimeUTCSeconds', target: 'target' };
for (const field of Object.values(OVERRIDE_FIELDS))
  if (!(field in overrides.properties!)) throw new Error(`lib/api-model.ts: overrides.${field} is missing from the API model`);

export const START_RESTORE_BODY: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  type: S.OBJECT,
  properties: {
    plan: { type: S.STRING, minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' },
    overrides,
    // Many shapes (one per restore kind): the Lambda checks the details against them.
    request: { type: S.OBJECT, required: ['kind'], properties: { kind: { type: S.STRING, enum: ['cloud', 'flex', 'tenant', 'legacy', 'collection'] } } },
  },
  additionalProperties: false,
  minProperties: 1,
};
