import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRestoreApp, SKIP_BUNDLING_CONTEXT } from '../../lib/app.js';
import { fixturePlans } from './helpers.js';

interface Report {
  pluginReports: { pluginName: string; violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
}

/** Synthesises the whole app with both nag packs (as `cdk synth` does); returns the error and the report. */
function synthWithNag(change?: (stack: Stack) => void, context: Record<string, unknown> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'nag-'));
  const { app, stack } = buildRestoreApp({
    plansConfig: fixturePlans,
    outdir,
    context: { ...SKIP_BUNDLING_CONTEXT, alarmEmail: 'dba@example.com', ...context },
  });
  change?.(stack);
  let error: Error | undefined;
  try {
    app.synth();
  } catch (err) {
    error = err as Error;
  }
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as Report;
  const findings = report.pluginReports.flatMap((p) => p.violations.map((v) => v.ruleName));
  return { stack, error, report, findings };
}

/** The acknowledgements made on exactly this construct (not its children). */
function acksOn(construct: IConstruct): { id: string; reason: string }[] {
  return construct.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ id: id.replace(/^Annotation::/, ''), reason })));
}

describe('cdk-nag (AwsSolutions + Serverless)', () => {
  let clean: ReturnType<typeof synthWithNag>;
  beforeAll(() => {
    clean = synthWithNag();
  });

  it('finds nothing unacknowledged in the stack', () => {
    expect(clean.findings).toEqual([]);
    expect(clean.error).toBeUndefined();
  });

  it('acknowledges each finding on the narrowest construct, with a specific reason', () => {
    const acks = clean.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => ({ path: c.node.path, ...m })));
    expect(acks.length).toBeGreaterThan(5);
    for (const ack of acks) {
      // Never on the whole stack: a stack-wide acknowledgement would also hide future findings.
      expect(ack.path).not.toBe(clean.stack.node.path);
      for (const reason of Object.values(ack.data as Record<string, string>)) expect(reason.length).toBeGreaterThan(40);
    }
  });

  it('acknowledges function and API findings on the role, function, stage or method they excuse, never on a whole construct', () => {
    const stack = clean.stack as ReturnType<typeof buildRestoreApp>['stack'];
    const fns = stack.functions;
    expect(acksOn(fns)).toEqual([]);
    // Nor on the whole API construct: the stage and each method carry their own.
    expect(acksOn(stack.api)).toEqual([]);
    expect(acksOn(stack.api.api.deploymentStage).map((a) => a.id).sort()).toEqual(['AwsSolutions-APIG3', 'AwsSolutions-APIG6']);
    for (const fn of fns.all) {
      expect(acksOn(fn.role!).map((a) => a.id)).toEqual(expect.arrayContaining(['AwsSolutions-IAM5[Resource::*]', 'Serverless-LambdaStarPermissions']));
      expect(acksOn(fn).map((a) => a.id)).toEqual(['Serverless-LambdaDLQ', 'Serverless-LambdaAsyncFailureDestination']);
      // Without egress nothing runs in a VPC: a reason that mentions ENIs would be false here.
      for (const ack of acksOn(fn.role!)) expect(ack.reason).not.toMatch(/NetworkInterface/);
    }
  });

  it('with egress=nat: nothing unacknowledged, and the wildcard reason names the ENI actions on the VPC functions only', () => {
    const nat = synthWithNag(undefined, { egress: 'nat' });
    expect(nat.findings).toEqual([]);
    expect(nat.error).toBeUndefined();
    const fns = (nat.stack as ReturnType<typeof buildRestoreApp>['stack']).functions;
    const wildcardReason = (fn: { role?: IConstruct }) => acksOn(fn.role!).find((a) => a.id === 'AwsSolutions-IAM5[Resource::*]')?.reason;
    for (const fn of [fns.submitRestore, fns.createRestore, fns.pollRestore, fns.cancelRestore]) expect(wildcardReason(fn)).toMatch(/ec2:CreateNetworkInterface/);
    expect(wildcardReason(fns.notifyRestore)).not.toMatch(/NetworkInterface/);
  });

  it('runs both packs for real: an insecure addition makes synth fail with named findings', () => {
    const bad = synthWithNag((stack) => {
      new sqs.Queue(stack, 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
      const fn = (stack as ReturnType<typeof buildRestoreApp>['stack']).functions.notifyRestore;
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:Get*'], resources: ['arn:aws:s3:::some-bucket/*'] }));
    });
    expect(bad.error?.message).toContain('AtlasRestore/PlainQueue/Resource');
    expect(bad.findings).toEqual(expect.arrayContaining(['AwsSolutions-SQS4', 'Serverless-SQSRedrivePolicy', 'AwsSolutions-IAM5[Action::s3:Get*]']));
    expect(bad.report.pluginReports.map((p) => p.pluginName).sort()).toEqual(['AwsSolutions', 'Serverless']);
  });
});
