import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createAtlasClient } from '../../functions/core/atlas/client.js';
import type { PlansConfig } from '../../functions/core/plans/schema.js';
import { loadPlansFile } from '../../lib/plans.js';
import { synthesizeWorkflowDefinition } from '../../lib/workflow-definition.js';
import { createProgressPrinter } from '../runner/progress.js';
import { runLocalRestore } from '../runner/localRestore.js';
import { useSimulatorWorld } from '../runner/localWorld.js';
import { startSimulator } from '../simulator/index.js';
import type { WorldInput } from '../simulator/index.js';
import type { SimulatorHandle } from '../simulator/index.js';
import type { LocalWorld } from '../runner/localWorld.js';
import { setupAlerts } from './alerts.js';
import { summarize, summaryLine } from '../../functions/core/history/summary.js';
import { demoSteps } from './demoSteps.js';
import { serveRestoreApi } from '../serve/restoreApi.js';
import type { Output } from './output.js';

/**
 * `npm start`: two restore stories on the embedded default, no AWS and no Atlas account. The
 * simulator plays Atlas (default world, simulated clock), the synthesised state machine runs with
 * the real handlers, and each Wait moves the simulated clock on instead of sleeping, so hours of
 * restore play in seconds with the poll count and timings they would have in AWS.
 */

export interface DemoOptions {
  plansFile: string;
  /** Real milliseconds between polls, so a person can watch (0: as fast as possible). */
  pauseMs: number;
}

const DEFAULT_WORLD_FILE = fileURLToPath(new URL('../simulator/worlds/default.json', import.meta.url));

const STORIES = [
  {
    title: 'Nightly restore-to-staging refresh',
    planName: 'nightly-staging',
    trigger: (now: string) => ({ type: 'schedule' as const, time: now }),
  },
  {
    title: 'Point-in-time recovery when the corruption alarm fires',
    planName: 'recover-prod-before-alarm',
    trigger: (now: string) => ({ type: 'alarm' as const, alarmName: 'prod-data-corruption', time: now }),
  },
];

export async function runDemo(options: DemoOptions, out: Output): Promise<number> {
  const plans = loadPlansFile(options.plansFile);
  const world = JSON.parse(readFileSync(DEFAULT_WORLD_FILE, 'utf8')) as WorldInput;
  const simulator = await startSimulator(world, { clock: 'manual' });
  const apiKey = world.credentials?.apiKeys?.[0];
  if (!apiKey) throw new Error('The default world has no API key');
  const local = await useSimulatorWorld({
    simulator,
    credentials: { type: 'digest', publicKey: apiKey.publicKey, privateKey: apiKey.privateKey },
    plans,
  });
  try {
    out.heading('Atlas restore orchestrator: local demo');
    out.line(`Atlas:    local simulator at ${simulator.baseUrl} (default world, simulated clock)`);
    const started = Date.now();
    const definition = synthesizeWorkflowDefinition({ plansConfig: plans });
    out.line(`Workflow: the state machine CDK synthesises (${Object.keys((definition as { States: object }).States).length} states), run by aws-local-stepfunctions with the real handlers`);
    out.line(`Plans:    ${options.plansFile} (${plans.plans.map((p) => p.name).join(', ')})`);
    if (plans.alerts) {
      const projects = await wireAlerts(plans, simulator, local, { digest: apiKey });
      out.line(`Alerts:   push on: the simulator sends signed restore alerts for ${projects} project(s) to the local receiver ${local.alerts.url} (wired by \`alerts setup\`); until a project has alerted once its restores poll as usual, then polling is only the backstop`);
    } else {
      out.line('Alerts:   push off (no "alerts" in the plans file): restores are seen ending by polling only');
    }

    let failures = 0;
    for (const [i, story] of STORIES.entries()) {
      if (!plans.plans.some((p) => p.name === story.planName)) {
        out.line(`\n(skipping "${story.title}": ${options.plansFile} has no plan ${story.planName})`);
        continue;
      }
      out.heading(`${i + 1}. ${story.title} (plan ${story.planName})`);
      local.sent.length = 0;
      const calls = simulator.requests().length;
      const targetsBefore = new Map(simulator.clusters().map((c) => [c.name, c.dataVersion]));
      const simStart = simulator.clock.now();
      const printer = createProgressPrinter({ write: (l) => out.line(l), now: () => simulator.clock.now(), color: out.color });
      const result = await runLocalRestore({
        definition,
        input: { planName: story.planName, trigger: story.trigger(new Date(simulator.clock.now()).toISOString()) },
        restoreId: `demo-${story.planName}-${Date.now().toString(36)}`,
        clock: {
          now: () => simulator.clock.now(),
          nextDue: () => simulator.clock.nextDue(),
          advance: (ms) => {
            simulator.clock.advance(ms);
            if (options.pauseMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, options.pauseMs);
          },
        },
        alerts: { board: local.alerts.board, settle: () => simulator.deliveries.settled() },
        // The plans' post-restore steps, as local stand-ins (the masking step of the staging refresh).
        steps: demoSteps(simulator.clock),
        onEvent: printer,
      });
      const pushLine = alertSummary(result.output, simulator);
      if (pushLine) out.line(pushLine);
      const sns = local.sent.find((s) => s.channel === 'sns');
      const channels = (result.output as { notification?: { delivered?: string[] } } | undefined)?.notification?.delivered ?? [];
      out.line('');
      out.line(`The notification that was sent (${channels.join(', ') || 'no channel'}):`);
      out.box(sns?.text ?? '(none was sent)');
      const plan = plans.plans.find((p) => p.name === story.planName);
      if (plan && plan.restore.type !== 'download') {
        const { groupId, clusterName } = plan.restore.target;
        const before = targetsBefore.get(clusterName);
        out.line(`${clusterName} now holds data version ${simulator.cluster(groupId, clusterName).dataVersion} (it held ${before} before)`);
      }
      const hours = ((simulator.clock.now() - simStart) / 3_600_000).toFixed(2);
      out.line(`${simulator.requests().length - calls} Atlas API calls; ${hours} h of simulated time`);
      if (result.status !== 'SUCCEEDED') {
        failures++;
        out.error(`Story ${i + 1} ended ${result.error ?? result.status}: ${result.cause ?? ''}`);
      }
    }
    if (plans.plans.some((p) => p.name === HTTP_STORY_PLAN)) {
      out.heading(`${STORIES.length + 1}. An HTTP-triggered download through the local API (plan ${HTTP_STORY_PLAN})`);
      if (!(await httpStory({ plans, definition, simulator, local, options, out }))) failures++;
    }
    const total = STORIES.length + (plans.plans.some((p) => p.name === HTTP_STORY_PLAN) ? 1 : 0);
    out.heading(failures ? `${failures} of ${total} stories failed` : `All ${total} restores succeeded in ${((Date.now() - started) / 1000).toFixed(1)} s of real time`);
    // The evidence the stories left: the history the table keeps in AWS (in memory here).
    out.line(`Restore history: ${summaryLine(summarize(await local.history.list({})))}`);
    out.line('Next: `npm test` runs the test suite; README.md explains deploying to AWS and running against real Atlas.');
    return failures ? 1 : 0;
  } finally {
    await local.close();
    await simulator.stop();
  }
}

const HTTP_STORY_PLAN = 'download-prod-latest';

/**
 * The third way restores start: over HTTP. The API's own routes (`npm run restore -- serve`) on
 * 127.0.0.1, over this demo's world and clock; the story asks as a pipeline would (curl lines shown),
 * with an Idempotency-Key, and follows the restore with GET until it ends. True when it succeeded.
 */
async function httpStory(o: { plans: PlansConfig; definition: object; simulator: SimulatorHandle; local: LocalWorld; options: DemoOptions; out: Output }): Promise<boolean> {
  const { simulator, out } = o;
  const api = await serveRestoreApi({
    host: '127.0.0.1',
    port: 0,
    plans: o.plans,
    holds: o.local.holds,
    history: o.local.history,
    definition: o.definition,
    defaultCaller: 'local:demo',
    stepsRunHere: true,
    now: () => simulator.clock.now(),
    run: {
      clock: { now: () => simulator.clock.now(), nextDue: () => simulator.clock.nextDue(), advance: (ms) => simulator.clock.advance(ms) },
      alerts: { board: o.local.alerts.board, settle: () => simulator.deliveries.settled() },
    },
    out: { ...out, line: () => undefined },
  });
  try {
    const key = `demo-http-${Date.now().toString(36)}`;
    out.line(`$ curl -s -X POST ${api.url}/restores -H 'Content-Type: application/json' -H 'Idempotency-Key: ${key}' -d '{"plan":"${HTTP_STORY_PLAN}"}'`);
    const started = await fetch(`${api.url}/restores`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ plan: HTTP_STORY_PLAN }),
    });
    out.line(`${started.status} ${JSON.stringify(await started.json())}`);
    let view: { workflow?: { status?: string }; outcome?: string; status?: { delivery?: { urls?: string[] } }; polls?: number } = {};
    for (let i = 0; i < 2000 && (view.workflow?.status ?? 'RUNNING') === 'RUNNING'; i++) {
      await new Promise((r) => setTimeout(r, o.options.pauseMs || 5));
      view = (await (await fetch(`${api.url}/restores/${key}`)).json()) as typeof view;
    }
    out.line(`$ curl -s ${api.url}/restores/${key}`);
    out.line(`200 workflow ${view.workflow?.status}, outcome ${view.outcome ?? '?'}, ${view.polls ?? '?'} looks, ${view.status?.delivery?.urls?.length ?? 0} download link(s)`);
    return view.outcome === 'SUCCEEDED';
  } finally {
    await api.close();
  }
}

/** Wires every project the plans restore from or onto, as an operator would with `alerts setup`. */
async function wireAlerts(
  plans: PlansConfig,
  simulator: SimulatorHandle,
  local: LocalWorld,
  key: { digest: { publicKey: string; privateKey: string } },
): Promise<number> {
  const projects = new Set(plans.plans.flatMap((p) => [p.source.groupId, ...(p.restore.type === 'download' ? [] : [p.restore.target.groupId])]));
  const client = createAtlasClient({ baseUrl: simulator.baseUrl, credentials: { type: 'digest', ...key.digest } });
  try {
    for (const project of projects) await setupAlerts({ client, project, url: local.alerts.url, secret: local.alerts.webhookSecret });
  } finally {
    await client.close();
  }
  return projects.size;
}

/** "Atlas alert received, polled at once: SUCCEEDED, 3 s after the job ended", when an alert ended the wait. */
function alertSummary(output: unknown, simulator: SimulatorHandle): string | undefined {
  const state = output as { poll?: { alertWakes?: number; count?: number; lookedAt?: string }; status?: { state?: string; jobIds?: string[] } } | undefined;
  if (!state?.poll?.alertWakes) return undefined;
  const jobId = state.status?.jobIds?.[0];
  const job = simulator.jobs().find((j) => j.id === jobId);
  const ended = job?.finishAt ? Date.parse(job.finishAt) : undefined;
  // The look that saw the end, not the clock now: post-restore steps may have run since.
  const seen = state.poll.lookedAt ? Date.parse(state.poll.lookedAt) : undefined;
  const after = ended === undefined || seen === undefined ? '' : `, ${Math.max(0, Math.round((seen - ended) / 1000))} s after the job ended`;
  return `Atlas alert received, polled at once: ${state.status?.state ?? '?'}${after} (${state.poll.count ?? '?'} looks in all)`;
}
