import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePlans, synthesize, type Synthesized } from './helpers.js';

interface Widget {
  type: string;
  properties: {
    title?: string;
    markdown?: string;
    metrics?: unknown[][];
    alarms?: unknown[];
  };
}

let s: Synthesized;
let widgets: Widget[];
beforeAll(() => {
  s = synthesize();
  const dashboards = s.template.findResources('AWS::CloudWatch::Dashboard');
  expect(Object.keys(dashboards)).toHaveLength(1);
  // The body is an Fn::Join of JSON text and tokens (region, ARNs); tokens sit inside JSON strings.
  const parts = (Object.values(dashboards)[0]!.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  const body = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('')) as { widgets: Widget[] };
  widgets = body.widgets;
});

const byTitle = (start: string): Widget => {
  const found = widgets.find((w) => w.properties.title?.startsWith(start));
  if (!found) throw new Error(`no widget titled "${start}…"; have ${widgets.map((w) => w.properties.title).join(' | ')}`);
  return found;
};
/** [namespace, metric, dim, value, dim, value, {options}] rows with a metric name (not math expressions). */
const metricRows = (w: Widget) => (w.properties.metrics ?? []).filter((row) => typeof row[1] === 'string');
const planNames = [...fixturePlans.plans.map((p) => p.name), 'ad-hoc'];

describe('dashboard', () => {
  it.each([
    ['Restores started', 'RestoreStarted'],
    ['Restores succeeded', 'RestoreSucceeded'],
    ['Restores failed', 'RestoreFailed'],
    ['Restores cancelled', 'RestoreCancelled'],
    ['Restores timed out', 'RestoreTimedOut'],
  ])('charts "%s" with one line per plan (and ad-hoc), on the handlers\' dimensions', (title, metric) => {
    const rows = metricRows(byTitle(title));
    expect(rows.map((r) => r.slice(0, 6))).toEqual(planNames.map((plan) => ['AtlasRestore', metric, 'Plan', plan, 'service', 'atlas-restore']));
    for (const row of rows) expect(row[6]).toMatchObject({ stat: 'Sum', period: 3600 });
  });

  it.each([
    ['Restore duration, p50', 'p50'],
    ['Restore duration, p90', 'p90'],
    ['Restore duration, max', 'Maximum'],
  ])('charts "%s" of RestoreDurationSeconds per plan', (title, stat) => {
    const rows = metricRows(byTitle(title));
    expect(rows).toHaveLength(planNames.length);
    for (const row of rows) {
      expect(row[1]).toBe('RestoreDurationSeconds');
      expect(row[6]).toMatchObject({ stat });
    }
  });

  it('charts polls per restore per plan', () => {
    const rows = metricRows(byTitle('Polls per restore'));
    expect(rows.map((r) => r[3])).toEqual(planNames);
    for (const row of rows) expect(row[1]).toBe('PollsPerRestore');
  });

  it('charts Atlas API errors by kind (429, 5xx, auth), summed over plans', () => {
    const widget = byTitle('Atlas API errors by kind');
    const expressions = (widget.properties.metrics ?? []).filter((row) => typeof (row[0] as { expression?: string }).expression === 'string');
    expect(expressions.map((row) => (row[0] as { label: string }).label)).toEqual(['Throttled (429)', 'Server errors (5xx)', 'Auth failures (401/403)']);
    const names = new Set(metricRows(widget).map((r) => r[1]));
    expect([...names].sort()).toEqual(['AtlasAuthFailures', 'AtlasServerErrors', 'AtlasThrottled']);
    // Each kind sums every plan's line.
    expect(metricRows(widget)).toHaveLength(3 * planNames.length);
  });

  it('charts notifications sent and failed, and restores whose history record is missing', () => {
    const widget = byTitle('Notifications sent / failed');
    expect(new Set(metricRows(widget).map((r) => r[1]))).toEqual(new Set(['NotificationsSent', 'NotificationsFailed', 'HistoryRecordMissing']));
  });

  it('charts reports undelivered by channel, and says how to replay them', () => {
    const widget = byTitle('Reports undelivered');
    const expression = (widget.properties.metrics ?? []).map((row) => (row[0] as { expression?: string }).expression).find(Boolean);
    expect(expression).toMatch(/SELECT SUM\(ReportUndelivered\) FROM SCHEMA\("AtlasRestore", Channel, Plan, service\).* GROUP BY Channel/);
    const text = widgets.filter((w) => w.type === 'text').map((w) => w.properties.markdown).join('\n');
    expect(text).toContain('npm run restore -- reports replay --report <reportId>');
  });

  it("charts the state machine's own executions and execution time", () => {
    const executions = metricRows(byTitle('State machine executions'));
    expect(executions.map((r) => r[1])).toEqual(['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut']);
    for (const row of executions) expect(row.slice(0, 3)).toEqual(['AWS/States', row[1], 'StateMachineArn']);
    expect(metricRows(byTitle('State machine execution time')).map((r) => r[1])).toEqual(['ExecutionTime', 'ExecutionTime']);
  });

  it("lists each scheduled plan's cron, time zone and deadline, and no unscheduled plan", () => {
    const text = widgets.find((w) => w.type === 'text')!.properties.markdown!;
    expect(text).toContain('| nightly-staging | `cron(0 3 * * ? *)` | Europe/Paris | 720 min | no success in 38 h |');
    expect(text).toContain('| weekly-sharded | `cron(30 4 ? * SUN *)` | UTC | 720 min | none (see docs/operations.md) |');
    expect(text).not.toContain('recover-prod');
    expect(text).not.toContain('download-latest');
  });

  it('shows the state of every orchestrator alarm', () => {
    expect(byTitle('Orchestrator alarms').properties.alarms).toHaveLength(s.stack.alarms.all.length);
  });
});

describe('dashboard: holds, cooldowns and repeated trigger events', () => {
  it('charts holds placed, refusals by hold and by cooldown, and duplicate trigger events, summed over plans', () => {
    const widget = byTitle('Holds placed, restores refused by a hold or a cooldown, repeated trigger events');
    const charted = new Set(metricRows(widget).map((r) => r[1]));
    expect([...charted].sort()).toEqual(['DuplicateTriggers', 'HoldsPlaced', 'RestoresRefusedByCooldown', 'RestoresRefusedByHold']);
    // One series per plan (and ad-hoc) for each, summed by metric math into one line per kind.
    expect(metricRows(widget)).toHaveLength(4 * planNames.length);
  });
});

describe('dashboard outcomes', () => {
  it('charts every outcome notify counts, so started minus the outcomes is what still runs', async () => {
    const { OUTCOMES } = await import('../../functions/core/workflow/contract.js');
    const { outcomeMetricName } = await import('../../functions/core/domain/observability.js');
    const charted = new Set(widgets.flatMap((w) => (w.properties.metrics ?? []).flat().filter((x): x is string => typeof x === 'string')));
    for (const outcome of OUTCOMES) expect(charted.has(outcomeMetricName(outcome)), outcome).toBe(true);
  });
});
