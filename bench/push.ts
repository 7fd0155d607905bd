import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createAtlasClient } from '../functions/core/atlas/client.js';
import { PlansConfig } from '../functions/core/plans/schema.js';
import { synthesizeWorkflowDefinition } from '../lib/workflow-definition.js';
import { setupAlerts } from '../local/commands/alerts.js';
import { historyEvents } from '../local/runner/historyEvents.js';
import { runLocalRestore } from '../local/runner/localRestore.js';
import { useSimulatorWorld } from '../local/runner/localWorld.js';
import { startSimulator, type WorldInput } from '../local/simulator/index.js';
import { DURATIONS } from './polling.js';

/**
 * Push completion beside polling, measured by running the synthesised state machine with the real
 * handlers against the simulator (manual clock: the same numbers on any machine): one restore of
 * each length, with a plan whose deadline allows 24 h, in these modes:
 *   push, alerts arriving   the simulator sends its signed alert when the job ends
 *   push, alerts all lost   the simulator loses every alert: only the backstop sees the end
 *   push, first restore     alerts arrive, but none had come from the project before: polled as usual
 *   push, never alerted     every alert lost and none ever came (alerts not set up): polled as usual
 *   push off                the same plan without `alerts` in the plans file: the poll policy
 * In the first two modes the project has alerted before (a short restore's alert, run first and not
 * counted), as it has in steady use; see functions/core/push/heard.ts.
 * Atlas calls are the simulator's request log; history events are counted per state entered, as
 * Step Functions writes them (a callback task writes TaskSubmitted besides a Lambda task's five).
 */

const WORLD_FILE = fileURLToPath(new URL('../local/simulator/worlds/default.json', import.meta.url));
const PROD = '65f1a0000000000000000001';
const STAGING = '65f1a0000000000000000002';

export interface PushRow {
  duration: string;
  mode: string;
  outcome: string;
  atlasCalls: number;
  historyEvents: number;
  detectionDelaySeconds: number;
  /** With alerts: 10 s; lost after alerts came before: max(60 s, 20 % of the age) (the backstop); else max(30 s, 5 %). */
  goalSeconds: number;
}

const MODES = [
  { mode: 'push, alerts arriving', push: true, lost: false, heard: true },
  { mode: 'push, alerts all lost', push: true, lost: true, heard: true },
  { mode: 'push, first restore', push: true, lost: false, heard: false },
  { mode: 'push, never alerted', push: true, lost: true, heard: false },
  { mode: 'push off (polling)', push: false, lost: false, heard: false },
] as const;

function plans(push: boolean, backstopPercent?: number): PlansConfig {
  return PlansConfig.parse({
    plans: [
      {
        name: 'day-long',
        triggers: { http: true, manual: true },
        source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
        restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-cluster' } },
        deadlineMinutes: 1500,
      },
    ],
    ...(push ? { alerts: { webhookSecretName: 'atlas-restore/alert-webhook', ...(backstopPercent !== undefined ? { backstopPercent } : {}) } } : {}),
  });
}

async function measureOne(seconds: number, mode: (typeof MODES)[number], backstopPercent?: number): Promise<Omit<PushRow, 'duration' | 'mode'>> {
  const world = JSON.parse(readFileSync(WORLD_FILE, 'utf8')) as WorldInput;
  // A whole second to start from: Atlas writes its times in whole seconds, so the delays come out the same every run.
  const sim = await startSimulator(world, { clock: 'manual', seed: 7, startTime: Math.floor(Date.now() / 1000) * 1000 });
  const key = world.credentials!.apiKeys![0]!;
  const credentials = { type: 'digest' as const, publicKey: key.publicKey, privateKey: key.privateKey };
  const config = plans(mode.push, backstopPercent);
  const local = await useSimulatorWorld({ simulator: sim, credentials, plans: config });
  try {
    if (mode.push) {
      const client = createAtlasClient({ baseUrl: sim.baseUrl, credentials });
      for (const project of [PROD, STAGING]) await setupAlerts({ client, project, url: local.alerts.url, secret: local.alerts.webhookSecret });
      await client.close();
    }
    const definition = synthesizeWorkflowDefinition({ plansConfig: config });
    const restore = (restoreId: string) =>
      runLocalRestore({
        definition,
        input: { planName: 'day-long', trigger: { type: 'manual' } },
        restoreId,
        clock: sim.clock,
        alerts: { board: local.alerts.board, settle: () => sim.deliveries.settled() },
      });
    if (mode.heard) {
      sim.scriptOutcome({ cluster: 'prod-cluster', outcome: 'succeed', durationSeconds: 120 });
      const earlier = await restore(`bench-push-${seconds}-earlier`);
      if (earlier.status !== 'SUCCEEDED' || !(await local.alerts.waiters.lastAlert(PROD))) throw new Error('the earlier restore did not alert');
    }
    sim.setFaults({ deliveries: mode.lost ? [{ lostRate: 1 }] : [] });
    sim.scriptOutcome({ cluster: 'prod-cluster', outcome: 'succeed', durationSeconds: seconds });
    const before = sim.requests().length;
    const result = await restore(`bench-push-${seconds}-${mode.mode.replace(/\W+/g, '-')}`);
    const job = sim.jobs({ groupId: PROD, clusterName: 'prod-cluster' }).at(-1)!;
    // The clock stops at the look that saw the end (notify moves it no further).
    const delay = Math.max(0, (sim.clock.now() - Date.parse(job.finishAt!)) / 1000);
    return {
      outcome: result.status === 'SUCCEEDED' ? 'seen ending' : `${result.error}`,
      atlasCalls: sim.requests().length - before,
      historyEvents: historyEvents(result.events),
      detectionDelaySeconds: Math.round(delay),
      goalSeconds: goalSeconds(mode, seconds, backstopPercent),
    };
  } finally {
    await local.close();
    await sim.stop();
  }
}

/** With alerts arriving: 10 s; alerts lost where alerts came before: the backstop's; otherwise the poll policy's. */
function goalSeconds(mode: (typeof MODES)[number], seconds: number, backstopPercent = 20): number {
  if (mode.push && !mode.lost) return 10;
  if (mode.push && mode.heard) return Math.round(Math.max(60, (backstopPercent / 100) * seconds));
  return Math.round(Math.max(30, 0.05 * seconds));
}

/** Every length of the polling table by default; a test passes a few short ones. */
export async function measurePush(durations: ReadonlyArray<readonly [string, number]> = DURATIONS): Promise<PushRow[]> {
  const rows: PushRow[] = [];
  for (const [duration, seconds] of durations) for (const mode of MODES) rows.push({ duration, mode: mode.mode, ...(await measureOne(seconds, mode)) });
  return rows;
}

export interface BackstopTradeRow {
  backstopPercent: number;
  'alerts arriving: calls': number;
  'alerts arriving: events': number;
  'alerts lost: end seen within': string;
}

/**
 * The one trade push completion leaves to the deployer, for a 24-hour restore in a project that has
 * alerted before: a higher `backstopPercent` costs fewer Atlas calls while alerts arrive (measured)
 * and loosens the bound on how late the end is seen when they are lost (the backstop's rule at
 * that age, max(floor, percent of the age); one lost-alert run shows only one end time).
 */
export async function measureBackstopTrade(percents: readonly number[] = [20, 35, 50], seconds = 24 * 3600): Promise<BackstopTradeRow[]> {
  const rows: BackstopTradeRow[] = [];
  for (const percent of percents) {
    const withAlerts = await measureOne(seconds, MODES[0], percent);
    rows.push({
      backstopPercent: percent,
      'alerts arriving: calls': withAlerts.atlasCalls,
      'alerts arriving: events': withAlerts.historyEvents,
      'alerts lost: end seen within': `${goalSeconds(MODES[1], seconds, percent).toLocaleString('en-US')} s`,
    });
  }
  return rows;
}
