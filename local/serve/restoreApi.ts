import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Server } from 'node:http';
import type { ApiDeps } from '../../functions/core/api/deps.js';
import type { RestoreHistory } from '../../functions/core/history/store.js';
import type { TargetHolds } from '../../functions/core/orchestrate/holds.js';
import type { PlansConfig } from '../../functions/core/plans/schema.js';
import { restoreActions } from '../../functions/submitRestore/orchestration.js';
import type { Output } from '../commands/output.js';
import { runLocalRestore, type LocalRestoreOptions } from '../runner/localRestore.js';
import { createProgressPrinter } from '../runner/progress.js';
import { stepsCannotRunHere } from '../runner/stepsHere.js';
import { startHttpApi } from './httpApi.js';
import { LocalExecutions } from './localExecutions.js';

/**
 * The local API over a world the caller has already pointed the handlers at (`useLocalEnvironment`
 * by `serve`, `useSimulatorWorld` by the demo): the API core's routes over HTTP, each started
 * restore a local run of the synthesised state machine with the real handlers.
 */

/** The state machine the local API starts: a name of the stack's shape, in no real account. */
const LOCAL_STATE_MACHINE_ARN = 'arn:aws:states:local:000000000000:stateMachine:AtlasRestore';

export interface RestoreApiOptions {
  host: string;
  port: number;
  plans: PlansConfig;
  holds: TargetHolds;
  history: RestoreHistory;
  definition: object;
  /** Who calls when a request does not say. */
  defaultCaller: string;
  /** How each run waits and what stands in for its steps (a clock, scaled waits, local step stand-ins). */
  run?: Pick<LocalRestoreOptions, 'clock' | 'waitMs' | 'steps' | 'alerts'>;
  /** Post-restore steps have local stand-ins (the demo): do not refuse plans that have steps. */
  stepsRunHere?: boolean;
  /** Progress lines on this clock (ms); default the real one. */
  now?: () => number;
  out: Output;
}

export interface RestoreApi {
  server: Server;
  url: string;
  /** Stops taking requests and waits for the restores in flight. */
  close(): Promise<void>;
}

export async function serveRestoreApi(o: RestoreApiOptions): Promise<RestoreApi> {
  const executions = new LocalExecutions(LOCAL_STATE_MACHINE_ARN, async (restoreId, input, hooks) => {
    // As `run` does, before anything is created: a plan whose masking cannot run here must not restore.
    const planName = (input as { planName?: unknown }).planName;
    const plan = o.plans.plans.find((p) => p.name === planName);
    const stepsProblem = plan && !o.stepsRunHere && !(input as { dryRun?: boolean }).dryRun ? stepsCannotRunHere(plan) : undefined;
    if (stepsProblem) {
      o.out.error(`[${restoreId}] ${stepsProblem.split('\n')[0]}`);
      return { status: 'FAILED', error: 'PostRestoreStepsCannotRunHere', cause: stepsProblem.split('\n').slice(0, 2).join(' '), events: [] };
    }
    const progress = createProgressPrinter({ write: (l) => o.out.line(`[${restoreId}] ${l}`), now: o.now ?? (() => Date.now()), color: o.out.color });
    return runLocalRestore({ definition: o.definition, input, restoreId, signal: hooks.signal, onTask: hooks.onTask, onEvent: progress, ...o.run });
  });
  const deps: ApiDeps = {
    // The API core sends SDK commands to `sfn`; LocalExecutions answers the five it sends.
    sfn: executions as unknown as SFNClient,
    stateMachineArn: LOCAL_STATE_MACHINE_ARN,
    plans: o.plans,
    actions: await restoreActions(),
    logger: { info: () => undefined, warn: (m) => o.out.line(`warning: ${m}`), error: (m) => o.out.error(m) },
    holds: async () => o.holds,
    history: async () => o.history,
    ...(o.now ? { now: () => new Date(o.now!()) } : {}),
  };
  const { server, url } = await startHttpApi({ host: o.host, port: o.port, deps, defaultCaller: o.defaultCaller, log: (l) => o.out.line(l) });
  return {
    server,
    url,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(executions.running());
    },
  };
}
