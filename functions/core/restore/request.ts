import * as z from 'zod';
import { RestoreRequestInvalidError, type FieldProblem } from '../domain/errors.js';
import { ruleOf } from '../domain/issueRule.js';
import { CollectionRestoreRequest } from './collectionRequest.js';
import {
  ClusterName,
  EpochMillis,
  EpochSeconds,
  ObjectId,
  OplogIncrement,
  SourceCluster,
} from './fields.js';

/**
 * A concrete restore request: exactly what one Atlas create call needs, plus where it comes from.
 * Plans (../plans) resolve to one of these. `parseRestoreRequest` is the only way in: a bad request
 * fails here, before any HTTP call, with every field path and the rule it broke.
 */

const DedicatedTarget = z.object({ groupId: ObjectId, clusterName: ClusterName }).strict();
/**
 * Flex and shared-tier target names (`targetDeploymentItemName`). Atlas's restore endpoint would take
 * letters of any script here, but the deployment it names was created under the ASCII cluster rule:
 * anything else is a lookalike of a real name, so the stricter rule applies.
 */
const SharedTarget = z.object({ groupId: ObjectId, clusterName: ClusterName }).strict();

export const CloudRestoreRequest = z
  .object({
    kind: z.literal('cloud'),
    source: SourceCluster,
    deliveryType: z.enum(['automated', 'download', 'pointInTime']),
    snapshotId: ObjectId.optional(),
    target: DedicatedTarget.optional(),
    pointInTimeUTCSeconds: EpochSeconds.optional(),
    oplogTs: EpochSeconds.optional(),
    oplogInc: OplogIncrement.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const hasPitSeconds = r.pointInTimeUTCSeconds !== undefined;
    const hasOplog = r.oplogTs !== undefined || r.oplogInc !== undefined;
    if (r.deliveryType === 'download') {
      if (r.target) problem('target', 'must not be set for a download restore (Atlas takes no target)');
    } else if (!r.target) {
      problem('target', `is required for a ${r.deliveryType} restore (targetGroupId and targetClusterName)`);
    }
    if (r.deliveryType === 'pointInTime') {
      // snapshotId is allowed here: neither the spec nor Atlas's docs forbid it with a point in time,
      // and the Terraform provider's own point-in-time example sends both (see docs/simulator.md).
      if (hasPitSeconds && hasOplog)
        problem('pointInTimeUTCSeconds', 'is mutually exclusive with oplogTs and oplogInc');
      if (!hasPitSeconds && !hasOplog)
        problem('pointInTimeUTCSeconds', 'a pointInTime restore needs pointInTimeUTCSeconds, or oplogTs with oplogInc');
      if (r.oplogTs !== undefined && r.oplogInc === undefined) problem('oplogInc', 'is required with oplogTs');
      if (r.oplogInc !== undefined && r.oplogTs === undefined) problem('oplogTs', 'is required with oplogInc');
    } else {
      if (!r.snapshotId) problem('snapshotId', `is required for a ${r.deliveryType} restore`);
      if (hasPitSeconds) problem('pointInTimeUTCSeconds', 'is only allowed for a pointInTime restore');
      if (r.oplogTs !== undefined) problem('oplogTs', 'is only allowed for a pointInTime restore');
      if (r.oplogInc !== undefined) problem('oplogInc', 'is only allowed for a pointInTime restore');
    }
  });

/** Flex and shared tier (M2/M5, "tenant") share one shape: a snapshot onto a named deployment, or a download. */
const sharedTierRequest = <K extends 'flex' | 'tenant'>(kind: K) =>
  z
    .object({
      kind: z.literal(kind),
      source: SourceCluster.extend({ clusterName: ClusterName }).strict(),
      deliveryType: z.enum(['restore', 'download']).default('restore'),
      snapshotId: ObjectId,
      target: SharedTarget.optional(),
    })
    .strict()
    .superRefine((r, ctx) => {
      if (r.deliveryType === 'restore' && !r.target)
        ctx.addIssue({ code: 'custom', path: ['target'], message: 'is required for a restore (targetDeploymentItemName)' });
      if (r.deliveryType === 'download' && r.target)
        ctx.addIssue({ code: 'custom', path: ['target'], message: 'must not be set for a download' });
    });

export const FlexRestoreRequest = sharedTierRequest('flex');
export const TenantRestoreRequest = sharedTierRequest('tenant');

const LEGACY_DELIVERY_METHODS = [
  'AUTOMATED_RESTORE',
  'HTTP',
  'CLIENT_PIT_HTTP',
  'QUERY',
  'THIRD_PARTY_COPY',
  'CLIENT_PIT_SCP',
  'SCP',
] as const;

export const LegacyRestoreRequest = z
  .object({
    kind: z.literal('legacy'),
    source: SourceCluster,
    snapshotId: ObjectId.optional(),
    checkpointId: ObjectId.optional(),
    /** ISO-8601 string in the legacy API, unlike cloud backup's integer seconds. */
    oplogTs: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time' }).optional(),
    oplogInc: OplogIncrement.optional(),
    pointInTimeUTCMillis: EpochMillis.optional(),
    delivery: z
      .object({
        methodName: z.enum(LEGACY_DELIVERY_METHODS),
        target: DedicatedTarget.optional(),
        expirationHours: z.number().int().min(1, 'must be at least 1').optional(),
        maxDownloads: z.number().int().min(1, 'must be at least 1').optional(),
      })
      .strict(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const chosen = [
      r.snapshotId !== undefined && 'snapshotId',
      r.checkpointId !== undefined && 'checkpointId',
      (r.oplogTs !== undefined || r.oplogInc !== undefined) && 'oplogTs+oplogInc',
      r.pointInTimeUTCMillis !== undefined && 'pointInTimeUTCMillis',
    ].filter(Boolean);
    if (chosen.length !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['snapshotId'],
        message: `exactly one of snapshotId, checkpointId, oplogTs+oplogInc, pointInTimeUTCMillis is required (got ${chosen.length ? chosen.join(', ') : 'none'})`,
      });
    if (r.oplogTs !== undefined && r.oplogInc === undefined)
      ctx.addIssue({ code: 'custom', path: ['oplogInc'], message: 'is required with oplogTs' });
    if (r.oplogInc !== undefined && r.oplogTs === undefined)
      ctx.addIssue({ code: 'custom', path: ['oplogTs'], message: 'is required with oplogInc' });
    const automated = r.delivery.methodName === 'AUTOMATED_RESTORE';
    if (automated && !r.delivery.target)
      ctx.addIssue({ code: 'custom', path: ['delivery', 'target'], message: 'is required for AUTOMATED_RESTORE' });
    if (!automated && r.delivery.target)
      ctx.addIssue({ code: 'custom', path: ['delivery', 'target'], message: 'is only allowed for AUTOMATED_RESTORE' });
    if (!automated && (r.checkpointId || r.oplogTs || r.pointInTimeUTCMillis))
      ctx.addIssue({
        code: 'custom',
        path: ['delivery', 'methodName'],
        message: 'must be AUTOMATED_RESTORE for checkpoint, oplog or point-in-time restores',
      });
  });

export const RestoreRequestSchema = z.discriminatedUnion('kind', [
  CloudRestoreRequest,
  FlexRestoreRequest,
  TenantRestoreRequest,
  LegacyRestoreRequest,
  CollectionRestoreRequest,
]);
export type RestoreRequest = z.infer<typeof RestoreRequestSchema>;
export type CloudRestoreRequest = z.infer<typeof CloudRestoreRequest>;
export type FlexRestoreRequest = z.infer<typeof FlexRestoreRequest>;
export type TenantRestoreRequest = z.infer<typeof TenantRestoreRequest>;
export type LegacyRestoreRequest = z.infer<typeof LegacyRestoreRequest>;
export type CollectionRestoreRequest = z.infer<typeof CollectionRestoreRequest>;
export type RestoreKindName = RestoreRequest['kind'];
export const RESTORE_KIND_NAMES = ['cloud', 'flex', 'tenant', 'legacy', 'collection'] as const satisfies readonly RestoreKindName[];

/** Turns zod issues into our field problems: `a.b.0.c` paths and the rule in words. */
export function toFieldProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    rule: ruleOf(issue),
  }));
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Parses and checks a request. Rules that depend on the clock (a point in time in the future, the
 * legacy 24-hour window) are checked against `now` so tests and replays stay deterministic.
 */
export function parseRestoreRequest(input: unknown, now: Date = new Date()): RestoreRequest {
  const parsed = RestoreRequestSchema.safeParse(input);
  if (!parsed.success) throw new RestoreRequestInvalidError(toFieldProblems(parsed.error));
  const r = parsed.data;
  const problems: FieldProblem[] = [];
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (r.kind === 'cloud' || r.kind === 'collection') {
    if (r.pointInTimeUTCSeconds !== undefined && r.pointInTimeUTCSeconds > nowSeconds)
      problems.push({ path: 'pointInTimeUTCSeconds', rule: 'must not be in the future' });
    if (r.oplogTs !== undefined && r.oplogTs > nowSeconds) problems.push({ path: 'oplogTs', rule: 'must not be in the future' });
  }
  if (r.kind === 'legacy' && r.pointInTimeUTCMillis !== undefined) {
    if (r.pointInTimeUTCMillis > now.getTime()) problems.push({ path: 'pointInTimeUTCMillis', rule: 'must not be in the future' });
    else if (now.getTime() - r.pointInTimeUTCMillis > DAY_MS)
      problems.push({ path: 'pointInTimeUTCMillis', rule: 'must fall within the last 24 hours' });
  }
  if (problems.length) throw new RestoreRequestInvalidError(problems);
  return r;
}

/** The cluster whose data a request would overwrite, or undefined for downloads. */
export function restoreTarget(r: RestoreRequest): { groupId: string; clusterName: string } | undefined {
  if (r.kind === 'legacy') return r.delivery.methodName === 'AUTOMATED_RESTORE' ? r.delivery.target : undefined;
  if (r.kind === 'cloud') return r.deliveryType === 'download' ? undefined : r.target;
  // A collection restore always writes to its target, so it takes the target's lock either way.
  if (r.kind === 'collection') return r.target;
  return r.deliveryType === 'restore' ? r.target : undefined;
}

/**
 * Atlas deletes data on the target before these restores: the guards (protected targets, source =
 * target) apply to them. A collection restore destroys only with OVERWRITE_EXISTING (Atlas drops the
 * named collections); CREATE_NEW writes new collections beside the existing ones.
 */
export function isDestructive(r: RestoreRequest): boolean {
  if (r.kind === 'collection') return r.writeStrategy === 'OVERWRITE_EXISTING';
  return restoreTarget(r) !== undefined;
}

/** The target the guards check: the one a destructive restore would wipe, else none. */
export function guardedTarget(r: RestoreRequest): { groupId: string; clusterName: string } | undefined {
  return isDestructive(r) ? restoreTarget(r) : undefined;
}
