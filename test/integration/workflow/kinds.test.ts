import { describe, expect, it } from 'vitest';
import { PROD, STAGING, scheduled, useWorkflowHarness } from './helpers.js';

/** Each restore kind, start to end, through the synthesised workflow and the real handlers. */

const h = useWorkflowHarness();

function notified(outcome: string) {
  const sns = h.world.sent.filter((s) => s.channel === 'sns');
  const events = h.world.sent.filter((s) => s.channel === 'eventBridge');
  expect(sns, 'exactly one SNS message per run').toHaveLength(1);
  expect(events, 'exactly one EventBridge event per run').toHaveLength(1);
  expect(sns[0]!.report!.outcome).toBe(outcome);
  return sns[0]!;
}

describe('restores reach SUCCEEDED for every kind', () => {
  it('cloud snapshot onto staging: the latest completed snapshot’s data lands on staging and nowhere else', async () => {
    const latest = h.sim
      .cluster(PROD, 'prod-cluster')
      .snapshots.filter((s) => s.status === 'completed')
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!;
    const prodBefore = h.sim.cluster(PROD, 'prod-cluster').dataVersion;
    h.sim.clearRequests();
    const result = await h.run(scheduled('cloud-refresh'), 'refresh-1');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    // Adopt and busy-target checks share one look at the source's jobs; then exactly one create.
    const calls = h.sim.requests();
    const created = calls.findIndex((c) => c.method === 'POST' && c.path.endsWith('/restoreJobs'));
    const listsBefore = calls.slice(0, created).filter((c) => c.method === 'GET' && c.path.endsWith('/backup/restoreJobs'));
    expect(listsBefore).toHaveLength(1);
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(h.sim.cluster(STAGING, 'staging-cluster').dataVersion).toBe(latest.dataVersion);
    expect(h.sim.cluster(PROD, 'prod-cluster').dataVersion).toBe(prodBefore);
    const sns = notified('SUCCEEDED');
    expect(sns.text).toContain(latest.id);
    expect(sns.text).toContain('staging-cluster');
    const webhook = h.world.sent.filter((s) => s.channel === 'webhook');
    expect(webhook).toHaveLength(1);
    expect(JSON.stringify(webhook[0]!.body)).toContain('Atlas Restore Succeeded');
    expect((result.output as { notification: { delivered: string[] } }).notification.delivered).toEqual(['sns', 'eventBridge', 'webhook:slack']);
  });

  it('cloud point in time (alarm time minus 90 minutes) onto the recovery cluster', async () => {
    const alarmAt = new Date(h.sim.clock.now()).toISOString();
    const result = await h.run({ planName: 'cloud-pit', trigger: { type: 'alarm', alarmName: 'corruption', time: alarmAt } }, 'pit-1');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    // prod-cluster held prod-v4 from 5 h ago until 1 h ago: 90 minutes before the alarm is inside that.
    expect(h.sim.cluster(PROD, 'recovery-cluster').dataVersion).toBe('prod-v4');
    notified('SUCCEEDED');
  });

  it('cloud download: the report carries the delivery URL and its expiry', async () => {
    const result = await h.run({ planName: 'cloud-download', trigger: { type: 'http' } }, 'download-1');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    const sns = notified('SUCCEEDED');
    expect(sns.report!.downloads).toHaveLength(1);
    expect(sns.report!.downloads[0]!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(sns.report!.downloads[0]!.expiresAt).toBeDefined();
  });

  it('flex snapshot onto another flex cluster', async () => {
    const result = await h.run({ planName: 'flex-refresh', trigger: { type: 'manual' } }, 'flex-1');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(h.sim.cluster(STAGING, 'flex-target').dataVersion).toBe('flex-dev-v2');
    notified('SUCCEEDED');
  });

  it('legacy sharded: one job per shard plus the config server, done only when all are', async () => {
    const result = await h.run({ planName: 'legacy-sharded', trigger: { type: 'manual' } }, 'legacy-1');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    const jobs = h.sim.jobs({ family: 'legacy' });
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    expect(new Set(jobs.map((j) => j.batchId)).size).toBe(1);
    expect(h.sim.cluster(STAGING, 'staging-sharded-2').dataVersion).toBe('legacy-sharded-v2');
    const sns = notified('SUCCEEDED');
    expect(sns.report!.jobIds).toHaveLength(jobs.length);
  });
});
