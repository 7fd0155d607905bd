import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVIDENCE_METRIC } from '../../functions/core/history/metrics.js';
import { METRIC, outcomeMetricName } from '../../functions/core/domain/observability.js';
import { CONTEXT_KEYS } from '../../lib/context-keys.js';
import { loadPlansFile } from '../../lib/plans.js';
import { codeSpans, onlyTable, readDoc, section, tables, type Table } from '../support/markdown.js';
import { synthesize, type Synthesized } from './helpers.js';

/**
 * The doc tables that name what the stack deploys (alarms, functions, routes, outputs, dashboard
 * metrics, context keys) are held to the synthesised template: a new alarm or output without its
 * doc row fails here (issue 13: deploy.md listed 3 alarms of 7).
 */

const DEPLOY = readDoc('docs/deploy.md');
const OPERATIONS = readDoc('docs/operations.md');
const API = readDoc('docs/api.md');
const GETTING_STARTED = readDoc('docs/getting-started.md');

/** The shipped plans with one drill more: every kind of alarm the stack can make. */
function everythingPlans(): unknown {
  const config = structuredClone(loadPlansFile()) as { plans: { name: string; drill?: unknown }[] };
  config.plans[0]!.drill = { passWithinDays: 7 };
  return config;
}

let full: Synthesized;
let planNames: string[];
/** Outputs over the stack's variants: default (with push), egress=nat, your VPC without egressIps. */
let outputs: Set<string>;

beforeAll(() => {
  const plans = everythingPlans() as { plans: { name: string }[] };
  planNames = plans.plans.map((p) => p.name);
  full = synthesize({ plansConfig: plans, context: { alarmEmail: 'dba@example.com' } });
  const nat = synthesize({ context: { egress: 'nat' } });
  const ownVpc = synthesize({ context: { vpcId: 'vpc-0abc12345def67890', subnetIds: 'subnet-0abc12345def67890,subnet-0abc12345def67891' } });
  outputs = new Set([full, nat, ownVpc].flatMap((s) => Object.keys(s.template.toJSON().Outputs ?? {}).map(outputName)));
}, 120_000);

/** CDK names the outputs it adds itself with a hash (`ApiEndpoint1541504C`); the docs write `ApiEndpoint…`. */
const outputName = (id: string) => id.replace(/[0-9A-F]{8}$/, '…');

/** Per-plan alarms are documented once, as `Name-<plan>`. */
function generic(name: string): string {
  for (const plan of planNames) if (name.endsWith(`-${plan}`)) return `${name.slice(0, -plan.length - 1)}-<plan>`;
  return name;
}

/** Alarm names as the docs write them: the construct ids (CloudFormation generates the real names). */
function alarmNames(s: Synthesized): string[] {
  const inTemplate = Object.keys(s.template.findResources('AWS::CloudWatch::Alarm'));
  const byLogicalId = new Map(
    s.stack.node
      .findAll()
      .filter((c): c is cloudwatch.CfnAlarm => c instanceof cloudwatch.CfnAlarm)
      .map((c) => [s.stack.resolve(s.stack.getLogicalId(c)) as string, c.node.scope!.node.id]),
  );
  return inTemplate.map((id) => {
    const name = byLogicalId.get(id);
    if (!name) throw new Error(`alarm ${id} has no construct`);
    return generic(name);
  });
}

/** `METHOD /path` of every API Gateway method, the path rebuilt from the template's resources. */
function routes(s: Synthesized): string[] {
  const json = s.template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
  const path = (ref: unknown): string => {
    const id = (ref as { Ref?: string }).Ref;
    if (id === undefined) return ''; // Fn::GetAtt RootResourceId
    const resource = json[id]!.Properties;
    return `${path(resource.ParentId)}/${resource.PathPart as string}`;
  };
  return Object.values(json)
    .filter((r) => r.Type === 'AWS::ApiGateway::Method')
    .map((r) => `${r.Properties.HttpMethod as string} ${path(r.Properties.ResourceId)}`);
}

/** The custom metrics the dashboard shows, found in its body among every metric the code names. */
function dashboardMetrics(s: Synthesized): string[] {
  const body = JSON.stringify(s.stack.resolve(s.template.findResources('AWS::CloudWatch::Dashboard')));
  const outcomes = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED', 'TIMED_OUT', 'REFUSED', 'VERIFICATION_FAILED'].map(outcomeMetricName);
  const known = [...Object.values(METRIC).filter((m) => m !== METRIC.outcomePrefix), ...outcomes, ...Object.values(EVIDENCE_METRIC)];
  return known.filter((metric) => new RegExp(`\\b${metric}\\b`).test(body));
}

const firstColumn = (table: Table) => table.rows.map((row) => codeSpans(row[0]!)[0] ?? row[0]!);
const row = (table: Table, piece: string) => {
  const found = table.rows.find((r) => r[0]!.includes(piece));
  if (!found) throw new Error(`no row "${piece}"`);
  return found.join(' | ');
};

describe('docs/deploy.md "What gets deployed"', () => {
  const table = () => onlyTable(section(DEPLOY, 'What gets deployed'));

  it('the alarms row names every alarm the stack makes', () => {
    const named = codeSpans(row(table(), 'alarms'));
    for (const alarm of new Set(alarmNames(full))) expect(named, `alarm ${alarm}`).toContain(alarm);
  });

  it('the alarms row names no alarm the stack does not make', () => {
    const alarms = new Set(alarmNames(full));
    for (const name of codeSpans(row(table(), 'alarms')).filter((n) => /^[A-Z][A-Za-z]+(-<plan>)?$/.test(n)))
      expect(alarms, `documented alarm ${name}`).toContain(name);
  });

  it('the functions row names every Lambda function, push completion included', () => {
    const fns = full.stack.node
      .findAll()
      .filter((c): c is NodejsFunction => c instanceof NodejsFunction)
      .map((fn) => fn.node.id);
    expect(fns.length).toBe(Object.keys(full.template.findResources('AWS::Lambda::Function')).length);
    const named = codeSpans(row(table(), 'Lambda'));
    for (const fn of fns) expect(named, `function ${fn}`).toContain(fn);
    expect(named.filter((n) => /^[a-z]+[A-Z][A-Za-z]+$/.test(n)).sort()).toEqual([...fns].sort());
  });

  it('the outputs line names every stack output, in every egress mode, and nothing else', () => {
    const after = section(DEPLOY, 'What gets deployed').split(/\n\| --- \| --- \|\n(?:\|.*\n)*/)[1]!;
    const named = new Set(codeSpans(after).filter((n) => /^[A-Z][A-Za-z]+…?$/.test(n)));
    expect([...named].sort()).toEqual([...outputs].sort());
  });
});

describe('docs/api.md routes', () => {
  it('the routes table lists exactly the methods of the API', () => {
    const table = tables(API).find((t) => t.header[0] === 'Method and path')!;
    expect(firstColumn(table).sort()).toEqual(routes(full).sort());
  });
});

describe('docs/operations.md', () => {
  it('the alarms table lists exactly the alarms the stack makes', () => {
    const table = onlyTable(section(OPERATIONS, 'Alarms').split(/\n### /)[0]!);
    expect(firstColumn(table).sort()).toEqual([...new Set(alarmNames(full))].sort());
  });

  it("the dashboard table names every metric the dashboard shows", () => {
    const table = onlyTable(section(OPERATIONS, 'The dashboard'));
    const named = table.rows.flatMap((r) => codeSpans(r[1]!));
    for (const metric of dashboardMetrics(full)) expect(named, `metric ${metric}`).toContain(metric);
  });
});

describe('context keys', () => {
  it('docs/deploy.md "Context values" has one row per key the app reads, and no other', () => {
    const table = onlyTable(section(DEPLOY, 'Context values'));
    expect(firstColumn(table).sort()).toEqual([...CONTEXT_KEYS].sort());
  });

  it("docs/getting-started.md's context paragraph names every key the app reads, and no other", () => {
    const paragraph = GETTING_STARTED.split('\n\n').find((p) => p.startsWith('Context values'))!;
    const keys = new Set(
      codeSpans(paragraph)
        .map((span) => span.split('=')[0]!)
        .filter((key) => /^[a-z][A-Za-z]+$/.test(key)),
    );
    expect([...keys].sort()).toEqual([...CONTEXT_KEYS].sort());
  });
});
