import { afterAll, afterEach, beforeAll } from 'vitest';
import type { PlanInput, PlansConfig } from '../../../functions/core/plans/schema.js';
import { PlansConfig as PlansConfigSchema } from '../../../functions/core/plans/schema.js';
import { synthesizeWorkflowDefinition } from '../../../lib/workflow-definition.js';
import { createAtlasClient } from '../../../functions/core/atlas/client.js';
import { setupAlerts } from '../../../local/commands/alerts.js';
import type { TaskHandler } from '../../../local/runner/execute.js';
import { runLocalRestore } from '../../../local/runner/localRestore.js';
import type { LocalStep } from '../../../local/runner/localSteps.js';
import { useSimulatorWorld, type LocalWorld } from '../../../local/runner/localWorld.js';
import { startSimulator, type SimulatorHandle } from '../../../local/simulator/index.js';
import { ADMIN_KEY, PROD, STAGING, defaultWorld } from '../atlas/helpers.js';

/**
 * The workflow as AWS runs it, on this machine: the definition CDK synthesises, run by
 * aws-local-stepfunctions, the real handlers behind its Task states, the simulator as Atlas (manual
 * clock: each Wait moves it on), in-process locks, and recorded notifications plus a real webhook.
 */

export { PROD, STAGING };

const plan = (p: PlanInput): PlanInput => p;

export const TEST_PLANS: PlansConfig = PlansConfigSchema.parse({
  protectedTargets: [{ groupId: PROD, clusters: ['prod-*'] }],
  plans: [
    plan({
      name: 'cloud-refresh',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'snapshot', snapshot: { by: 'latest' }, target: { groupId: STAGING, clusterName: 'staging-cluster' } },
      deadlineMinutes: 120,
      notify: { sns: true, eventBridge: true, webhook: { format: 'slack', secretName: 'hook' } },
      triggers: { manual: true, http: true, schedule: { cron: 'cron(0 3 * * ? *)', timeZone: 'UTC' } },
    }),
    plan({
      name: 'cloud-pit',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'pointInTime', pointInTime: { minutesBeforeTrigger: 90 }, target: { groupId: PROD, clusterName: 'recovery-cluster' } },
      triggers: { manual: true, http: true, alarms: ['corruption'] },
    }),
    plan({
      name: 'cloud-download',
      triggers: { http: true, manual: true },
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'download', snapshot: { by: 'latest' } },
    }),
    plan({
      name: 'flex-refresh',
      triggers: { http: true, manual: true },
      source: { kind: 'flex', groupId: STAGING, clusterName: 'flex-dev' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'flex-target' } },
    }),
    plan({
      name: 'legacy-sharded',
      triggers: { http: true, manual: true },
      source: { kind: 'legacy', groupId: PROD, clusterName: 'legacy-sharded' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-sharded-2' } },
      deadlineMinutes: 240,
    }),
    plan({
      name: 'flex-short',
      triggers: { http: true, manual: true },
      source: { kind: 'flex', groupId: STAGING, clusterName: 'flex-dev' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'flex-target' } },
      deadlineMinutes: 5,
      watchAfterEndMinutes: 120,
    }),
    plan({
      name: 'legacy-short',
      triggers: { http: true, manual: true },
      source: { kind: 'legacy', groupId: PROD, clusterName: 'legacy-sharded' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-sharded-2' } },
      deadlineMinutes: 5,
    }),
    plan({
      name: 'short-deadline',
      triggers: { http: true, manual: true },
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-cluster' } },
      deadlineMinutes: 5,
    }),
  ],
});

export interface WorkflowHarness {
  sim: SimulatorHandle;
  world: LocalWorld;
  /** Lets work the clock started (an alert delivery) finish before a wait looks again; tests may replace it. */
  settle: () => Promise<void>;
  /** `notify` stands in for the notify handler (e.g. to make it fail before calling the real one). */
  run(
    input: object,
    restoreId: string,
    options?: { notify?: TaskHandler; create?: (payload: unknown, real: TaskHandler) => Promise<unknown>; cancel?: (payload: unknown, real: TaskHandler) => Promise<unknown>; poll?: (payload: unknown, real: TaskHandler) => Promise<unknown>; steps?: Record<string, LocalStep> },
  ): ReturnType<typeof runLocalRestore>;
}

/** One simulator and one synthesised definition per test file; a fresh world per test. */
export function useWorkflowHarness(plans: PlansConfig = TEST_PLANS): WorkflowHarness {
  let definition: object;
  const harness = {} as WorkflowHarness;
  beforeAll(async () => {
    definition = synthesizeWorkflowDefinition({ plansConfig: plans });
  }, 60_000);
  beforeAll(async () => {
    harness.sim = await startSimulator(defaultWorld(), { clock: 'manual', seed: 7 });
    harness.world = await useSimulatorWorld({ simulator: harness.sim, credentials: ADMIN_KEY, plans });
    harness.settle ??= async () => undefined;
    harness.run = (input, restoreId, options) =>
      runLocalRestore({
        definition,
        input,
        restoreId,
        clock: harness.sim.clock,
        alerts: { board: harness.world.alerts.board, settle: () => harness.settle() },
        ...(options?.notify ? { notify: options.notify } : {}),
        ...(options?.poll ? { poll: options.poll } : {}),
        ...(options?.create ? { create: options.create } : {}),
        ...(options?.cancel ? { cancel: options.cancel } : {}),
        ...(options?.steps ? { steps: options.steps } : {}),
      });
  });
  afterEach(() => {
    harness.world.sent.length = 0;
    harness.sim.setFaults({ rules: [] });
  });
  afterAll(async () => {
    await harness.world?.close();
    await harness.sim?.stop();
  });
  return harness;
}

export const scheduled = (planName: string, time?: string) => ({ planName, trigger: { type: 'schedule', ...(time ? { time } : {}) } });

/** Wires these projects' alerts to the world's receiver with the real `alerts setup`, as an operator would. */
export async function wireAlerts(h: WorkflowHarness, projects: readonly string[]): Promise<void> {
  const client = createAtlasClient({ baseUrl: h.sim.baseUrl, credentials: ADMIN_KEY });
  try {
    for (const project of projects) await setupAlerts({ client, project, url: h.world.alerts.url, secret: h.world.alerts.webhookSecret });
  } finally {
    await client.close();
  }
}
