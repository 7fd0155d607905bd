import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRestoreApp, SKIP_BUNDLING_CONTEXT } from '../../lib/app.js';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { closedTriggerWarnings, clusterPatternMatches, loadPlansFile, validatePlansConfig, webhookSecretNames } from '../../lib/plans.js';
import { fixturePlans, PROD, STAGING } from './helpers.js';

/** The fixture with one plan changed by `edit` (a deep copy: the fixture stays intact). */
function withPlan(index: number, edit: (plan: Record<string, any>) => void) {
  const cfg = structuredClone(fixturePlans) as { protectedTargets: unknown[]; plans: Record<string, any>[] };
  edit(cfg.plans[index]!);
  return cfg;
}

const synthWith = (plansConfig: unknown) => () =>
  buildRestoreApp({ plansConfig, nag: false, context: SKIP_BUNDLING_CONTEXT });

describe('plans validation at synth', () => {
  it('names the file, the plan and the setting of a bad plan', () => {
    const cfg = withPlan(0, (p) => (p.restore.target.clusterName = 'bad name!'));
    expect(() => validatePlansConfig(cfg, 'config/plans.json')).toThrow(
      'Invalid plans config (config/plans.json): plan "nightly-staging" restore.target.clusterName: must start with a letter or digit and contain only ASCII letters, digits and hyphens',
    );
  });

  it('refuses at synth what every run would refuse: a target that is the source in another case, a lookalike name', () => {
    const self = withPlan(0, (p) => (p.restore.target = { groupId: PROD, clusterName: 'PROD-Cluster' }));
    expect(() => validatePlansConfig(self)).toThrow(/plan "nightly-staging" restore.target: is the source cluster/);
    const kelvin = withPlan(0, (p) => (p.restore.target.clusterName = '\u212Aafka-flex'));
    expect(() => validatePlansConfig(kelvin)).toThrow(/restore.target.clusterName: must start with a letter or digit and contain only ASCII/);
    const flex = withPlan(0, (p) => {
      p.source = { kind: 'flex', groupId: STAGING, clusterName: 'flex-dev' };
      p.restore.target.clusterName = 'fl\u0435x-target';
    });
    expect(() => validatePlansConfig(flex)).toThrow(/restore.target.clusterName/);
  });

  it('a collections plan restores a snapshot or a point in time, never both, and its point in time keeps the spec\'s int32 seconds', () => {
    const collections = (extra: object) =>
      withPlan(0, (p) => (p.restore = { type: 'collections', target: p.restore.target, writeStrategy: 'CREATE_NEW', collections: [{ sourceNamespace: 'shop.orders' }], ...extra }));
    expect(() => validatePlansConfig(collections({ pointInTime: { minutesBeforeTrigger: 30 } }))).not.toThrow();
    expect(() => validatePlansConfig(collections({ snapshot: { by: 'latest' }, pointInTime: { minutesBeforeTrigger: 30 } }))).toThrow(
      /plan "nightly-staging" restore\.pointInTime: a collections plan restores either a snapshot \(restore\.snapshot\) or a point in time \(restore\.pointInTime\), not both/,
    );
    expect(() => validatePlansConfig(collections({ pointInTime: { utcSeconds: 4_000_000_000 } }))).toThrow(/plan "nightly-staging" restore\.pointInTime\.utcSeconds: must fit in 32 bits/);
  });

  it('checks the ad-hoc policy at synth: its schema, and no target pattern inside a protected one', () => {
    const rule = { kinds: ['cloud'], sources: [{ groupId: PROD, clusters: ['prod-cluster'] }], targets: [{ groupId: STAGING, clusters: ['scratch-*'] }] };
    expect(validatePlansConfig({ ...fixturePlans, adHoc: { restores: [rule] } }).adHoc?.restores[0]?.triggers).toEqual(['http', 'manual']);
    const onProtected = { ...rule, targets: [{ groupId: PROD, clusters: ['prod-eu'] }] };
    expect(() => validatePlansConfig({ ...fixturePlans, adHoc: { restores: [onProtected] } })).toThrow(
      /adHoc.restores.0.targets.0.clusters.0: "prod-eu" in project 65f1a0000000000000000001 covers protected names \(protectedTargets pattern "prod-\*"\)/,
    );
    // Patterns that share names with a protected one, not only names inside it.
    for (const wide of ['*', 'p*', '*-eu', 'PROD-*', '*o*']) {
      const open = { ...rule, targets: [{ groupId: PROD, clusters: [wide] }] };
      expect(() => validatePlansConfig({ ...fixturePlans, adHoc: { restores: [open] } }), wide).toThrow(/covers protected names \(protectedTargets pattern "prod-\*"\)/);
    }
    // A pattern in the same project that no protected pattern shares a name with is fine.
    expect(() => validatePlansConfig({ ...fixturePlans, adHoc: { restores: [{ ...rule, targets: [{ groupId: PROD, clusters: ['scratch-*'] }] }] } })).not.toThrow();
    expect(() => validatePlansConfig({ ...fixturePlans, adHoc: { restores: [{ ...rule, kinds: ['serverless'] }] } })).toThrow(/adHoc.restores.0.kinds.0/);
    expect(() => validatePlansConfig({ ...fixturePlans, adHoc: { restores: [{ ...rule, targets: [] }] } })).toThrow(/adHoc.restores.0.targets/);
    expect(() => validatePlansConfig({ ...fixturePlans, adHoc: { downloads: [{ ...rule, triggers: ['schedule'] }] } })).toThrow(/adHoc.downloads.0/);
  });

  it('refuses post-restore steps on a download plan: there is no restored cluster to mask or verify', () => {
    const steps = [{ type: 'lambda', name: 'verify', functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:verify' }];
    const download = fixturePlans.plans.findIndex((p) => (p as { restore: { type: string } }).restore.type === 'download');
    expect(download).toBeGreaterThanOrEqual(0);
    expect(() => validatePlansConfig(withPlan(download, (p) => ((p as unknown as { postRestore: unknown }).postRestore = steps)))).toThrow(
      /postRestore: a download restores onto no cluster: there is nothing for post-restore steps to mask or verify/,
    );
  });

  it('makes synth itself fail on a bad plan', () => {
    const cfg = withPlan(2, (p) => (p.deadlineMinutes = 1));
    expect(synthWith(cfg)).toThrow(/plan "recover-prod" deadlineMinutes: /);
  });

  it('names a plan by its index when its name is the problem', () => {
    const cfg = withPlan(1, (p) => (p.name = 'no spaces allowed'));
    expect(() => validatePlansConfig(cfg)).toThrow(/plan at index 1 name: must be 1-64 letters/);
  });

  it('reports every problem, not just the first', () => {
    const cfg = withPlan(0, (p) => {
      p.source.groupId = 'not-an-id';
      p.unknownSetting = true;
    });
    const message = (() => {
      try {
        validatePlansConfig(cfg);
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toContain('plan "nightly-staging" source.groupId: must be a 24-character lowercase hex id');
    expect(message).toMatch(/plan "nightly-staging": .*unknownSetting/);
  });

  it('refuses a schedule with a bad cron or an unknown time zone', () => {
    const badCron = withPlan(0, (p) => (p.triggers.schedule.cron = 'cron(0 3 * * *)'));
    expect(synthWith(badCron)).toThrow(/plan "nightly-staging" triggers\.schedule\.cron: cron\(0 3 \* \* \*\): has 5 fields; an AWS cron has 6/);
    const badHour = withPlan(0, (p) => (p.triggers.schedule.cron = 'cron(0 25 * * ? *)'));
    expect(synthWith(badHour)).toThrow(
      `plan "nightly-staging" triggers.schedule.cron: cron(0 25 * * ? *): Number '25' of hours field is bigger than upper limit '23'`,
    );
    const bothDays = withPlan(0, (p) => (p.triggers.schedule.cron = 'cron(0 3 * * * *)'));
    expect(synthWith(bothDays)).toThrow(/plan "nightly-staging" triggers\.schedule\.cron: cron\(0 3 \* \* \* \*\): one of day-of-month and day-of-week must be \?/);
    const badZone = withPlan(0, (p) => (p.triggers.schedule.timeZone = 'Mars/Olympus_Mons'));
    expect(synthWith(badZone)).toThrow(/plan "nightly-staging" triggers\.schedule\.timeZone: must be an IANA time zone/);
  });

  it('takes a rate instead of a cron, checked the same way, and never both', () => {
    const badRate = withPlan(0, (p) => (p.triggers.schedule = { rate: 'rate(1 hours)' }));
    expect(synthWith(badRate)).toThrow('plan "nightly-staging" triggers.schedule.rate: rate(1 hours): use the singular with 1: rate(1 hour)');
    const both = withPlan(0, (p) => (p.triggers.schedule.rate = 'rate(1 day)'));
    expect(synthWith(both)).toThrow(/plan "nightly-staging" triggers\.schedule: needs exactly one of cron .* and rate/);
    const neither = withPlan(0, (p) => delete p.triggers.schedule.cron);
    expect(synthWith(neither)).toThrow(/plan "nightly-staging" triggers\.schedule: needs exactly one of cron/);
  });

  it('checks holdAfterSuccess and cooldownMinutes, and refuses a hold on a plan that overwrites nothing', () => {
    expect(() => validatePlansConfig(withPlan(2, (p) => (p.holdAfterSuccess = { untilReleased: true })))).not.toThrow();
    expect(() => validatePlansConfig(withPlan(2, (p) => (p.cooldownMinutes = 60)))).not.toThrow();
    expect(() => validatePlansConfig(withPlan(2, (p) => (p.holdAfterSuccess = { hours: 0 })))).toThrow(/plan "recover-prod" holdAfterSuccess/);
    expect(() => validatePlansConfig(withPlan(2, (p) => (p.cooldownMinutes = 1.5)))).toThrow(/plan "recover-prod" cooldownMinutes/);
    const download = fixturePlans.plans.findIndex((p) => p.restore.type === 'download');
    expect(() => validatePlansConfig(withPlan(download, (p) => (p.holdAfterSuccess = { hours: 4 })))).toThrow(
      /holdAfterSuccess: a download overwrites no cluster: there is no target to hold/,
    );
  });

  it('refuses a destructive plan whose target is protected (by pattern)', () => {
    const cfg = withPlan(0, (p) => (p.restore.target = { groupId: PROD, clusterName: 'prod-analytics' }));
    expect(synthWith(cfg)).toThrow(
      /plan "nightly-staging" restore\.target: cluster "prod-analytics" in project 65f1a0000000000000000001 is protected \(protectedTargets pattern "prod-\*"\)/,
    );
  });

  it('refuses a point-in-time plan onto a protected cluster named exactly', () => {
    const cfg = withPlan(2, (p) => (p.restore.target.clusterName = 'recovery-cluster'));
    cfg.protectedTargets = [{ groupId: PROD, clusters: ['recovery-cluster'] }];
    expect(synthWith(cfg)).toThrow(/plan "recover-prod" restore\.target: .*"recovery-cluster"/);
  });

  it('lets a protected cluster be the source of a download, and the same name in another project be a target', () => {
    const cfg = withPlan(0, (p) => (p.restore.target = { groupId: STAGING, clusterName: 'prod-copy' }));
    expect(() => validatePlansConfig(cfg)).not.toThrow();
  });

  it('matches protected-target patterns literally except for *', () => {
    expect(clusterPatternMatches('prod-*', 'prod-cluster')).toBe(true);
    expect(clusterPatternMatches('prod-*', 'PROD-cluster')).toBe(true);
    expect(clusterPatternMatches('prod-*', 'staging-prod-1')).toBe(false);
    expect(clusterPatternMatches('*-live', 'billing-live')).toBe(true);
    expect(clusterPatternMatches('a.b', 'axb')).toBe(false);
    expect(clusterPatternMatches('exact', 'exactly')).toBe(false);
  });

  it('reads the file named by the plansFile context and says which file is broken', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plans-'));
    const file = join(dir, 'plans.json');
    writeFileSync(file, '{ "plans": [ }');
    expect(() => buildRestoreApp({ nag: false, context: { ...SKIP_BUNDLING_CONTEXT, plansFile: file } })).toThrow(
      `Invalid plans config (${file}): not valid JSON`,
    );
    expect(() => loadPlansFile(join(dir, 'missing.json'))).toThrow(/Plans file not found or unreadable/);
  });

  it.each([
    ['a space and !', 'bad name!'],
    ['a space', 'team hook'],
    ['a letter outside ASCII', 'clé'],
    ['over 512 characters', 'x'.repeat(513)],
  ])('refuses a secret name Secrets Manager would not take (%s), naming the setting', (_why, name) => {
    const webhook = withPlan(3, (p) => (p.notify = { webhook: { format: 'json', secretName: name } }));
    expect(synthWith(webhook)).toThrow(/plan "[^"]+" notify\.webhook\.secretName: must be a Secrets Manager secret name: 1-512 ASCII letters, digits and \/_\+=\.@-/);
    const alerts = { ...structuredClone(fixturePlans), alerts: { webhookSecretName: name } };
    expect(synthWith(alerts)).toThrow(/alerts\.webhookSecretName: must be a Secrets Manager secret name/);
  });

  it('lists each webhook secret once', () => {
    const cfg = withPlan(3, (p) => (p.notify = { webhook: { format: 'json', secretName: 'team/slack-hook' } }));
    expect(webhookSecretNames(validatePlansConfig(cfg))).toEqual(['team/slack-hook', 'team/teams-hook']);
  });
});

describe('config/plans.json (the shipped example)', () => {
  const plans = loadPlansFile('config/plans.json');

  it('has the three example jobs: nightly refresh, alarm-driven point in time, download', () => {
    const byType = Object.fromEntries(plans.plans.map((p) => [p.restore.type, p]));
    expect(byType.snapshot?.triggers.schedule).toMatchObject({ cron: expect.stringMatching(/^cron\(/), timeZone: expect.any(String) });
    expect(byType.pointInTime).toMatchObject({
      allowRestoreOntoSource: false,
      restore: { pointInTime: { minutesBeforeTrigger: expect.any(Number) } },
      triggers: { alarms: [expect.any(String)] },
    });
    expect(byType.download).toBeDefined();
    expect(plans.protectedTargets.length).toBeGreaterThan(0);
  });

  it('names only projects and clusters of the simulator default world, so the demo runs against it', () => {
    const world = JSON.parse(readFileSync('local/simulator/worlds/default.json', 'utf8')) as {
      projects: { id: string; clusters: { name: string }[] }[];
    };
    const exists = (groupId: string, clusterName: string) =>
      world.projects.some((p) => p.id === groupId && p.clusters.some((c) => c.name === clusterName));
    for (const plan of plans.plans) {
      expect(exists(plan.source.groupId, plan.source.clusterName), `${plan.name} source`).toBe(true);
      if (plan.restore.type !== 'download') {
        expect(exists(plan.restore.target.groupId, plan.restore.target.clusterName), `${plan.name} target`).toBe(true);
      }
    }
  });
});

describe('closed unless listed: synth names each plan whose triggers closed', () => {
  it('warns per plan and trigger left unsaid, with what to add; saying it (true or false) silences it', () => {
    const { stack } = synthWith(fixturePlans)();
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('triggers are closed unless listed'));
    const texts = warnings.map((w) => String(w.entry.data));
    // Every fixture plan leaves both unsaid.
    expect(texts).toHaveLength(fixturePlans.plans.length * 2);
    expect(texts).toContainEqual(expect.stringContaining('plan "recover-prod" does not list triggers.manual, so an operator'));
    expect(texts).toContainEqual(expect.stringContaining('Add "manual": true to its triggers to keep that'));
    expect(texts).toContainEqual(expect.stringContaining('plan "download-latest" does not list triggers.http, so an HTTP caller (POST /restores) can no longer start it'));

    const said = withPlan(2, (p) => (p.triggers = { ...p.triggers, http: false, manual: true }));
    const saidTexts = closedTriggerWarnings(said).map((w) => w.warning);
    expect(saidTexts.filter((t) => t.includes('"recover-prod"'))).toEqual([]);
    expect(closedTriggerWarnings(JSON.parse(readFileSync('config/plans.json', 'utf8')))).toEqual([]);
  });

  it('a plan that does not list manual refuses an operator start (the runtime rule behind the warning)', () => {
    const cfg = validatePlansConfig(fixturePlans);
    expect(cfg.plans.every((p) => p.triggers.manual === false && p.triggers.http === false)).toBe(true);
  });
});
