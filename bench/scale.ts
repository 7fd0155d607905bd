import { PlansConfig } from '../functions/core/plans/schema.js';
import { synthesizeWorkflowDefinition } from '../lib/workflow-definition.js';
import { runLocalRestore } from '../local/runner/localRestore.js';
import { useSimulatorWorld } from '../local/runner/localWorld.js';
import { startSimulator, type WorldInput } from '../local/simulator/index.js';

/**
 * N restore workflows at once, spread over several projects, against the simulator with Atlas's
 * per-project rate limit on: how many end SUCCEEDED, how many 429s the client and the state
 * machine absorbed, how many Atlas calls it took, and the wall time. Simulated time runs `scale`
 * times faster than real time; every wait and backoff shrinks by the same factor.
 */

export interface ScaleResult {
  workflows: number;
  projects: number;
  succeeded: number;
  failed: Record<string, number>;
  /** The reports' reasons for the runs that did not succeed. */
  failureReasons: string[];
  atlasCalls: number;
  throttled429: number;
  stateRetries: number;
  wallSeconds: number;
  simulatedMinutes: number;
  rateLimit: { capacity: number; refillPerSecond: number };
}

const hex = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(24 - prefix.length, '0')}`;

function scaleWorld(projects: number, targetsPerProject: number): WorldInput {
  return {
    projects: Array.from({ length: projects }, (_, p) => ({
      id: hex('65f1a0', p + 1),
      name: `bench-${p + 1}`,
      clusters: [
        { name: 'source', dataVersion: `source-${p + 1}`, snapshots: [{ id: hex('65f1b0', p * 1000 + 1), createdAt: '-2h' }] },
        ...Array.from({ length: targetsPerProject }, (_, t) => ({ name: `target-${t}`, dataVersion: 'empty' })),
      ],
    })),
    credentials: { apiKeys: [{ publicKey: 'benchkey', privateKey: '5f0c7d2e-0000-4000-8000-0000000bench', roles: { '*': ['PROJECT_OWNER'] } }] },
    jobDurations: { 'cloud.automated': 600 },
  } as WorldInput;
}

export async function measureScale(workflows = 100, projects = 5, scale = 600): Promise<ScaleResult> {
  const perProject = Math.ceil(workflows / projects);
  const world = scaleWorld(projects, perProject);
  // Atlas's documented ceiling is about 100 requests a minute per project; the bucket here is
  // tighter so that the run meets 429s and shows what absorbs them.
  const rateLimit = { capacity: 10, refillPerSecond: 0.2 };
  const sim = await startSimulator(world, { clock: { scale }, seed: 3 });
  sim.setFaults({ rules: [], rateLimit });
  const local = await useSimulatorWorld({
    simulator: sim,
    credentials: { type: 'digest', publicKey: 'benchkey', privateKey: '5f0c7d2e-0000-4000-8000-0000000bench' },
    // Ad-hoc restores run only where the plans file allows them: here, source onto target-* in each project.
    plans: PlansConfig.parse({
      adHoc: {
        restores: [
          {
            kinds: ['cloud'],
            sources: Array.from({ length: projects }, (_, p) => ({ groupId: hex('65f1a0', p + 1), clusters: ['source'] })),
            targets: Array.from({ length: projects }, (_, p) => ({ groupId: hex('65f1a0', p + 1), clusters: ['target-*'] })),
            triggers: ['manual'],
          },
        ],
      },
    }),
    timeScale: scale,
  });
  const definition = synthesizeWorkflowDefinition();
  const simStart = sim.clock.now();
  const started = process.hrtime.bigint();
  try {
    const runs = Array.from({ length: workflows }, (_, i) => {
      const p = i % projects;
      const groupId = hex('65f1a0', p + 1);
      return runLocalRestore({
        definition,
        restoreId: `bench-${i}`,
        input: {
          request: {
            kind: 'cloud',
            deliveryType: 'automated',
            source: { groupId, clusterName: 'source' },
            snapshotId: hex('65f1b0', p * 1000 + 1),
            target: { groupId, clusterName: `target-${Math.floor(i / projects)}` },
          },
          trigger: { type: 'manual' },
        },
        clock: { advance: (ms) => new Promise((r) => setTimeout(r, ms / scale)) },
        // The state machine's Retry waits 10 s and more (backoff, jitter) in AWS; here 30 s, scaled.
        retryMs: 30_000 / scale,
      });
    });
    const results = await Promise.all(runs);
    const failed: Record<string, number> = {};
    for (const r of results) if (r.status !== 'SUCCEEDED') failed[r.error ?? 'unknown'] = (failed[r.error ?? 'unknown'] ?? 0) + 1;
    const requests = sim.requests();
    const failureReasons = local.sent
      .filter((n) => n.channel === 'sns' && n.report?.outcome !== 'SUCCEEDED')
      .map((n) => n.report?.reason ?? n.report?.outcome ?? 'unknown');
    return {
      workflows,
      projects,
      succeeded: results.filter((r) => r.status === 'SUCCEEDED').length,
      failed,
      failureReasons,
      atlasCalls: requests.length,
      throttled429: requests.filter((r) => r.status === 429).length,
      stateRetries: results.reduce((n, r) => n + r.events.filter((e) => e.type === 'StateRetried').length, 0),
      wallSeconds: Number(process.hrtime.bigint() - started) / 1e9,
      simulatedMinutes: (sim.clock.now() - simStart) / 60_000,
      rateLimit,
    };
  } finally {
    await local.close();
    await sim.stop();
  }
}
