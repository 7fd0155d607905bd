import { PlansConfig } from '../../functions/core/plans/schema.js';

/**
 * Attempts to restore onto a protected or wrong cluster, as a careless or hostile caller would
 * make them: case, spaces, lookalike and invisible characters, patterns as names, overrides,
 * forged triggers, ad-hoc copies of restricted plans, a point in time onto its source. Each is
 * tried through the HTTP API (test/unit/api/wrongTargets.test.ts) and through the whole workflow
 * (test/integration/workflow/wrongTargets.test.ts); each must be refused before any Atlas call.
 * The clusters are the simulator's default world (local/simulator/worlds/default.json).
 */

export const PROD = '65f1a0000000000000000001';
export const STAGING = '65f1a0000000000000000002';
const SNAP = '65f1b0000000000000000101';

export const ATTACK_PLANS: PlansConfig = PlansConfig.parse({
  protectedTargets: [
    { groupId: PROD, clusters: ['prod-*'] },
    { groupId: STAGING, clusters: ['staging-sharded*'] },
  ],
  plans: [
    {
      name: 'refresh',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-cluster' } },
      triggers: { http: true, manual: true },
      allowOverrides: ['snapshotId', 'target'],
    },
    {
      name: 'alarm-only',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-cluster' } },
      triggers: { http: false, alarms: ['corruption'] },
    },
    {
      name: 'pit',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'pointInTime', pointInTime: { minutesBeforeTrigger: 30 }, target: { groupId: PROD, clusterName: 'recovery-cluster' } },
      triggers: { http: true, manual: true },
      allowOverrides: ['target', 'pointInTime'],
    },
    {
      name: 'no-operator',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-cluster' } },
      triggers: { http: true, manual: false },
    },
    {
      name: 'flex-refresh',
      source: { kind: 'flex', groupId: STAGING, clusterName: 'flex-dev' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'flex-target' } },
      triggers: { http: true, manual: true },
      allowOverrides: ['target'],
    },
  ],
  // Ad hoc: cloud restores from prod-cluster onto staging's scratch-* clusters over HTTP, nothing else.
  adHoc: {
    restores: [
      {
        kinds: ['cloud'],
        sources: [{ groupId: PROD, clusters: ['prod-cluster'] }],
        targets: [{ groupId: STAGING, clusters: ['scratch-*'] }],
        triggers: ['http'],
      },
    ],
  },
});

/** What refuses it: a bad field (400), a guard (409), the policy (403), no such plan (404). */
export type Refusal = 'invalid' | 'PROTECTED_TARGET' | 'SOURCE_IS_TARGET' | 'AD_HOC_NOT_ALLOWED' | 'TRIGGER_NOT_ALLOWED' | 'not-found';

export interface Attempt {
  name: string;
  /** The POST /restores body; absent when HTTP cannot even express it (a forged trigger). */
  body?: Record<string, unknown>;
  /** The execution input an operator or a forged event would send; derived from `body` when absent. */
  input?: Record<string, unknown>;
  refusedBy: Refusal;
  /** What the report's reason says, when not the refusal's usual error name. */
  reason?: RegExp;
}

const onto = (groupId: string, clusterName: string) => ({ groupId, clusterName });
const override = (name: string, target: { groupId: string; clusterName: string }, refusedBy: Refusal, plan = 'refresh'): Attempt => ({
  name,
  body: { plan, overrides: { target } },
  refusedBy,
});
const adHoc = (name: string, request: Record<string, unknown>, refusedBy: Refusal): Attempt => ({ name, body: { request }, refusedBy });
const cloud = (target: { groupId: string; clusterName: string }, extra: Record<string, unknown> = {}) => ({
  kind: 'cloud',
  source: onto(PROD, 'prod-cluster'),
  deliveryType: 'automated',
  snapshotId: SNAP,
  target,
  ...extra,
});
const forged = (name: string, input: Record<string, unknown>, refusedBy: Refusal): Attempt => ({ name, input, refusedBy });

export const ATTEMPTS: Attempt[] = [
  // Overrides onto the source, in every case (source = target is checked before protection).
  override('override onto the source', onto(PROD, 'prod-cluster'), 'SOURCE_IS_TARGET'),
  override('override onto the source, upper case', onto(PROD, 'PROD-CLUSTER'), 'SOURCE_IS_TARGET'),
  override('override onto the source, mixed case', onto(PROD, 'Prod-Cluster'), 'SOURCE_IS_TARGET'),
  // Protected targets by pattern.
  override('override onto a protected pattern', onto(PROD, 'prod-eu'), 'PROTECTED_TARGET'),
  override('override onto a protected pattern, upper case', onto(PROD, 'PROD-EU'), 'PROTECTED_TARGET'),
  override('override onto a protected sharded staging cluster', onto(STAGING, 'staging-sharded'), 'PROTECTED_TARGET'),
  override('override onto a protected sharded staging cluster, case', onto(STAGING, 'Staging-Sharded-2'), 'PROTECTED_TARGET'),
  // Spaces and invisible characters.
  override('trailing space', onto(PROD, 'prod-cluster '), 'invalid'),
  override('leading space', onto(PROD, ' prod-cluster'), 'invalid'),
  override('no-break space', onto(STAGING, 'staging\u00A0sharded'), 'invalid'),
  override('trailing newline', onto(PROD, 'prod-cluster\n'), 'invalid'),
  override('zero-width space', onto(PROD, 'prod\u200B-cluster'), 'invalid'),
  override('soft hyphen', onto(PROD, 'prod-clus\u00ADter'), 'invalid'),
  override('zero-width joiner', onto(STAGING, 'staging-sharded\u200D'), 'invalid'),
  // Lookalike letters.
  override('Cyrillic e', onto(PROD, 'prod-clust\u0435r'), 'invalid'),
  override('Cyrillic a', onto(STAGING, 'st\u0430ging-sharded'), 'invalid'),
  override('Kelvin sign', onto(STAGING, 'staging-sharded-\u212A'), 'invalid'),
  override('fullwidth letters', onto(PROD, '\uFF50rod-cluster'), 'invalid'),
  override('Greek omicron', onto(PROD, 'pr\u03BFd-cluster'), 'invalid'),
  override('dotless i', onto(STAGING, 'stag\u0131ng-sharded'), 'invalid'),
  // Patterns and other non-names.
  override('a pattern as a name', onto(PROD, 'prod-*'), 'invalid'),
  override('a bare star', onto(PROD, '*'), 'invalid'),
  override('underscore', onto(PROD, 'prod_cluster'), 'invalid'),
  override('an upper-case project id', onto(PROD.toUpperCase(), 'prod-cluster'), 'invalid'),
  override('a 65-character name', onto(STAGING, 'a'.repeat(65)), 'invalid'),
  // Flex and point in time.
  override('flex override onto its source', onto(STAGING, 'flex-dev'), 'SOURCE_IS_TARGET', 'flex-refresh'),
  override('flex override onto its source, upper case', onto(STAGING, 'FLEX-DEV'), 'SOURCE_IS_TARGET', 'flex-refresh'),
  override('flex override with an accented letter', onto(STAGING, 'flex-targ\u00E9t'), 'invalid', 'flex-refresh'),
  override('flex override with a Kelvin sign', onto(STAGING, '\u212Alex-target'), 'invalid', 'flex-refresh'),
  override('point in time onto its source', onto(PROD, 'prod-cluster'), 'SOURCE_IS_TARGET', 'pit'),
  override('point in time onto a protected cluster', onto(PROD, 'prod-sharded'), 'PROTECTED_TARGET', 'pit'),
  // Ad-hoc copies of restricted plans, and other ad-hoc tricks.
  adHoc('ad-hoc copy of a plan not offered over HTTP', cloud(onto(STAGING, 'staging-cluster')), 'AD_HOC_NOT_ALLOWED'),
  adHoc('ad-hoc onto the source', cloud(onto(PROD, 'prod-cluster')), 'SOURCE_IS_TARGET'),
  adHoc('ad-hoc onto the source in another case', cloud(onto(PROD, 'PROD-cluster')), 'SOURCE_IS_TARGET'),
  adHoc('ad-hoc onto a protected cluster', cloud(onto(PROD, 'prod-sharded')), 'PROTECTED_TARGET'),
  adHoc('ad-hoc point in time onto the source', { kind: 'cloud', source: onto(PROD, 'prod-cluster'), deliveryType: 'pointInTime', target: onto(PROD, 'prod-cluster'), pointInTimeUTCSeconds: 1_700_000_000 }, 'SOURCE_IS_TARGET'),
  adHoc('ad-hoc onto an allowed name in the wrong project', cloud(onto(PROD, 'scratch-1')), 'AD_HOC_NOT_ALLOWED'),
  adHoc('ad-hoc onto a lookalike of an allowed name', cloud(onto(STAGING, 'scr\u0430tch-1')), 'invalid'),
  adHoc('ad-hoc from a source the policy does not list', { ...cloud(onto(STAGING, 'scratch-1')), source: onto(PROD, 'prod-sharded') }, 'AD_HOC_NOT_ALLOWED'),
  adHoc('ad-hoc of a kind the policy does not list', { kind: 'flex', source: onto(STAGING, 'flex-dev'), snapshotId: SNAP, target: onto(STAGING, 'scratch-1') }, 'AD_HOC_NOT_ALLOWED'),
  adHoc('ad-hoc legacy restore onto the source', { kind: 'legacy', source: onto(PROD, 'legacy-rs'), snapshotId: SNAP, delivery: { methodName: 'AUTOMATED_RESTORE', target: onto(PROD, 'LEGACY-RS') } }, 'SOURCE_IS_TARGET'),
  adHoc('ad-hoc download (not allowed)', { kind: 'cloud', source: onto(PROD, 'prod-cluster'), deliveryType: 'download', snapshotId: SNAP }, 'AD_HOC_NOT_ALLOWED'),
  // Plans by another name, or not for this caller.
  { name: 'plan not offered over HTTP', body: { plan: 'alarm-only' }, refusedBy: 'TRIGGER_NOT_ALLOWED' },
  { name: 'plan name in another case', body: { plan: 'Refresh' }, refusedBy: 'not-found' },
  // Forged triggers: only the workflow's input can say these.
  forged('schedule trigger for a plan without a schedule', { planName: 'alarm-only', trigger: { type: 'schedule' } }, 'TRIGGER_NOT_ALLOWED'),
  forged('alarm trigger naming an alarm the plan does not list', { planName: 'alarm-only', trigger: { type: 'alarm', alarmName: 'cpu-high' } }, 'TRIGGER_NOT_ALLOWED'),
  forged('alarm trigger naming no alarm', { planName: 'alarm-only', trigger: { type: 'alarm' } }, 'TRIGGER_NOT_ALLOWED'),
  // Closed unless listed: an alarm-only plan does not list manual, so an operator cannot start it.
  forged('manual trigger for an alarm-only plan (manual not listed)', { planName: 'alarm-only', trigger: { type: 'manual' } }, 'TRIGGER_NOT_ALLOWED'),
  forged('manual trigger for a plan that refuses operators', { planName: 'no-operator', trigger: { type: 'manual' } }, 'TRIGGER_NOT_ALLOWED'),
  forged('ad-hoc request from a schedule', { request: cloud(onto(STAGING, 'scratch-1')), trigger: { type: 'schedule' } }, 'AD_HOC_NOT_ALLOWED'),
  forged('ad-hoc request from an operator (rule is HTTP only)', { request: cloud(onto(STAGING, 'scratch-1')), trigger: { type: 'manual' } }, 'AD_HOC_NOT_ALLOWED'),
  forged('ad-hoc request from an alarm', { request: cloud(onto(STAGING, 'scratch-1')), trigger: { type: 'alarm', alarmName: 'corruption' } }, 'AD_HOC_NOT_ALLOWED'),
  // Notify cannot read a trigger of no known type either: the report says its input was unreadable.
  { ...forged('an unknown trigger type', { planName: 'refresh', trigger: { type: 'internal' } }, 'invalid'), reason: /NotifyInputUnreadable/ },
];

/** The execution input an attempt amounts to (HTTP ones as the API would start them). */
export function executionInputOf(a: Attempt): Record<string, unknown> {
  if (a.input) return a.input;
  const { plan, overrides, request } = a.body as { plan?: string; overrides?: unknown; request?: unknown };
  return {
    ...(plan !== undefined ? { planName: plan } : {}),
    ...(overrides !== undefined ? { overrides } : {}),
    ...(request !== undefined ? { request } : {}),
    trigger: { type: 'http', time: '2026-01-01T00:00:00Z', requestedBy: 'arn:aws:iam::123456789012:user/mallory' },
  };
}

/** What the API answers each refusal with. */
export const HTTP_STATUS: Record<Refusal, number> = {
  invalid: 400,
  'not-found': 404,
  AD_HOC_NOT_ALLOWED: 403,
  TRIGGER_NOT_ALLOWED: 403,
  PROTECTED_TARGET: 409,
  SOURCE_IS_TARGET: 409,
};
