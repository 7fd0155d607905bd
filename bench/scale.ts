import { DEFAULT_POLL, DEFAULT_RUN_LIMITS, PlansConfig } from '../functions/core/plans/schema.js';
import { simulatePolling } from '../functions/core/restore/pollPolicy.js';
import { isTerminal } from '../functions/core/restore/status.js';
import type { WorkflowState } from '../functions/core/workflow/contract.js';
import { synthesizeWorkflowDefinition } from '../lib/workflow-definition.js';
import { runLocalRestore } from '../local/runner/localRestore.js';
import { useSimulatorWorld } from '../local/runner/localWorld.js';
import { startSimulator, type WorldInput } from '../local/simulator/index.js';
import { createRandom, hashSeed } from '../local/simulator/random.js';
import { createVirtualClock } from '../local/simulator/virtualClock.js';
import { historyEvents } from '../local/runner/historyEvents.js';

/**
 * N restore workflows at once, spread over several projects, against the simulator with a
 * per-project token bucket. Everything runs on one discrete-event clock (local/simulator/
 * virtualClock.ts): simulated time moves only when every workflow waits, so the same run gives
 * the same numbers on any machine, however loaded. Wall time is reported beside, never in the table.
 */

export interface TokenBucket {
  capacity: number;
  refillPerSecond: number;
}

/** Atlas's documented per-project limit for Cloud Backups and Flex: 1,200 tokens, 500 more a minute. */
const ATLAS_BUCKET: TokenBucket = { capacity: 1200, refillPerSecond: 500 / 60 };
/** Far tighter than Atlas's, so the run meets 429s and shows what absorbs them. */
export const TIGHT_BUCKET: TokenBucket = { capacity: 10, refillPerSecond: 0.2 };

export interface ScaleRun {
  name: string;
  restores: number;
  projects: number;
  bucket: TokenBucket;
}

/** 100 restores per project at most: a hundred restores at once in one project is already far beyond normal. */
export const atlasRun = (restores: number): ScaleRun => ({
  name: `${restores} at Atlas's limits`,
  restores,
  projects: Math.max(5, Math.ceil(restores / 100)),
  bucket: ATLAS_BUCKET,
});
export const tightRun = (restores = 100): ScaleRun => ({ name: `${restores}, tight bucket`, restores, projects: 5, bucket: TIGHT_BUCKET });

/**
 * How long the k-th job created in a project lasts: 10 to 15 minutes, spread so that jobs end at
 * every point between two polls.
 */
const jobSeconds = (k: number): number => 600 + ((k * 37) % 300);
/** A fixed start, so every ISO time in the run is the same each time. */
const START = Date.UTC(2026, 0, 5, 9, 0, 0);

interface ScaleRow {
  run: string;
  projects: number;
  bucket: string;
  succeeded: string;
  callsPerRestore: number;
  /** 1 create + the polls the policy makes (see idealCallsPerRestore). */
  idealPerRestore: number;
  timesIdeal: number;
  answers429: number;
  stateRetries: number;
  detectP50s: number;
  detectP99s: number;
  detectMaxS: number;
  historyEventsMax: number;
  simulatedMin: number;
}

export interface ScaleResult {
  row: ScaleRow;
  /** The reports' reasons for restores that did not succeed. */
  failureReasons: string[];
  wallSeconds: number;
}

const hex = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(24 - prefix.length, '0')}`;
const groupOf = (p: number) => hex('65f1a0', p + 1);
const snapshotOf = (p: number) => hex('65f1b0', p * 1000 + 1);
const KEY = { publicKey: 'benchkey', privateKey: '5f0c7d2e-0000-4000-8000-0000000bench' };

function scaleWorld(projects: number, targetsPerProject: number): WorldInput {
  return {
    projects: Array.from({ length: projects }, (_, p) => ({
      id: groupOf(p),
      name: `bench-${p + 1}`,
      clusters: [
        {
          name: 'source',
          dataVersion: `source-${p + 1}`,
          snapshots: [{ id: snapshotOf(p), createdAt: '-2h' }],
          durationSequence: Array.from({ length: targetsPerProject }, (_, k) => jobSeconds(k)),
        },
        ...Array.from({ length: targetsPerProject }, (_, t) => ({ name: `target-${t}`, dataVersion: 'empty' })),
      ],
    })),
    credentials: { apiKeys: [{ ...KEY, roles: { '*': ['PROJECT_OWNER'] } }] },
  } as WorldInput;
}

/** Ad-hoc restores run only where the plans file allows them: source onto target-* in each project. */
function adHocPlans(projects: number): PlansConfig {
  const all = Array.from({ length: projects }, (_, p) => p);
  return PlansConfig.parse({
    adHoc: {
      restores: [
        {
          kinds: ['cloud'],
          sources: all.map((p) => ({ groupId: groupOf(p), clusters: ['source'] })),
          targets: all.map((p) => ({ groupId: groupOf(p), clusters: ['target-*'] })),
          triggers: ['manual'],
        },
      ],
    },
  });
}

/** Nearest-rank quantile; 0 for no values. */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** 1 create + the polls the default policy makes, averaged over the run's job lengths. */
function idealCallsPerRestore(run: ScaleRun): number {
  const perProject = Math.ceil(run.restores / run.projects);
  let total = 0;
  for (let i = 0; i < run.restores; i++) {
    const k = Math.floor(i / run.projects) % perProject;
    const cost = simulatePolling({ durationSeconds: jobSeconds(k), ...DEFAULT_POLL, deadlineSeconds: DEFAULT_RUN_LIMITS.deadlineMinutes * 60 });
    total += 1 + cost.polls;
  }
  return total / run.restores;
}

export async function measureScale(run: ScaleRun): Promise<ScaleResult> {
  const clock = createVirtualClock(START);
  const sim = await startSimulator(scaleWorld(run.projects, Math.ceil(run.restores / run.projects)), { clock, seed: 3 });
  sim.setFaults({ rules: [], rateLimit: run.bucket });
  const local = await useSimulatorWorld({ simulator: sim, credentials: { type: 'digest', ...KEY }, plans: adHocPlans(run.projects) });
  const definition = synthesizeWorkflowDefinition();
  /** When each restore's poll first saw its job ended: job id → simulated epoch ms. */
  const seen = new Map<string, number>();
  const started = process.hrtime.bigint();
  try {
    const outcomes = await Promise.all(
      Array.from({ length: run.restores }, (_, i) => {
        const p = i % run.projects;
        return clock.run(() =>
          runLocalRestore({
            definition,
            restoreId: `bench-${i}`,
            input: {
              request: {
                kind: 'cloud',
                deliveryType: 'automated',
                source: { groupId: groupOf(p), clusterName: 'source' },
                snapshotId: snapshotOf(p),
                target: { groupId: groupOf(p), clusterName: `target-${Math.floor(i / run.projects)}` },
              },
              trigger: { type: 'manual' },
            },
            clock: { advance: (ms) => clock.sleep(ms) },
            poll: async (payload, real) => {
              const state = (await real(payload)) as WorkflowState;
              const jobId = state.status.jobIds[0]!;
              if (isTerminal(state.status.state) && !seen.has(jobId)) seen.set(jobId, clock.now());
              return state;
            },
            // Step Functions' Retry waits (backoff, full jitter from a seeded stream per restore), on the clock.
            retryClock: { sleep: (ms) => clock.sleep(ms), random: createRandom(hashSeed(3, `restore-${i}`)) },
            // The waits happen inside the poll Task on the shared clock: real time says nothing about a task.
            taskTimeoutSeconds: 24 * 3600,
          }),
        );
      }),
    );
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const requests = sim.requests();
    const delays = sim
      .jobs()
      .filter((j) => j.finishAt !== undefined && seen.has(j.id))
      .map((j) => (seen.get(j.id)! - Date.parse(j.finishAt!)) / 1000)
      .sort((a, b) => a - b);
    const ideal = idealCallsPerRestore(run);
    const perRestore = requests.length / run.restores;
    const succeeded = outcomes.filter((o) => o.status === 'SUCCEEDED').length;
    const row: ScaleRow = {
      run: run.name,
      projects: run.projects,
      bucket: `${run.bucket.capacity} + ${Math.round(run.bucket.refillPerSecond * 60)}/min`,
      succeeded: `${succeeded}/${run.restores}`,
      callsPerRestore: perRestore,
      idealPerRestore: ideal,
      timesIdeal: perRestore / ideal,
      answers429: requests.filter((r) => r.status === 429).length,
      stateRetries: outcomes.reduce((n, o) => n + o.events.filter((e) => e.type === 'StateRetried').length, 0),
      detectP50s: quantile(delays, 0.5),
      detectP99s: quantile(delays, 0.99),
      detectMaxS: delays.at(-1) ?? 0,
      historyEventsMax: Math.max(...outcomes.map((o) => historyEvents(o.events))),
      simulatedMin: (clock.now() - START) / 60_000,
    };
    const failureReasons = local.sent
      .filter((n) => n.channel === 'sns' && n.report?.outcome !== 'SUCCEEDED')
      .map((n) => n.report?.reason ?? n.report?.outcome ?? 'unknown');
    return { row, failureReasons, wallSeconds };
  } finally {
    await local.close();
    await sim.stop();
  }
}
