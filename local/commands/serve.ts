import { userInfo } from 'node:os';
import { baseUrlFromEnv } from '../../functions/core/atlas/baseUrl.js';
import { printedChannels } from './printedChannels.js';
import { MemoryDeliveryLedger } from '../../functions/core/notify/ledger.js';
import { MemoryTargetLocks } from '../../functions/core/orchestrate/locks.js';
import { useLocalEnvironment } from '../../functions/runtime/environment.js';
import { loadPlansFile } from '../../lib/plans.js';
import { synthesizeWorkflowDefinition } from '../../lib/workflow-definition.js';
import { UsageError } from '../commandLine.js';
import { DEFAULT_HISTORY_FILE, FileRestoreHistory } from '../runner/fileHistory.js';
import { FileTargetHolds } from '../runner/fileHolds.js';
import { serveRestoreApi, type RestoreApi } from '../serve/restoreApi.js';
import { describeAtlasTarget, localConnection, refuseIfNobodyAnswers, atlasOrigin } from './atlasTarget.js';
import type { Output } from './output.js';

/**
 * `npm run restore -- serve`: the HTTP API on this machine (../serve/httpApi.ts), its restores run
 * through the local runner against whatever Atlas the environment names (the simulator in the
 * examples), with the local holds and history files `run`, `hold` and `history` use. Runs until
 * interrupted (Ctrl-C), then lets the restores in flight end.
 */

export interface ServeOptions {
  host: string;
  port: number;
  plansFile: string;
  holdsFile: string;
  historyFile?: string;
  /** Real milliseconds per Wait instead of the workflow's seconds (tests against a scaled simulator). */
  waitMs?: number;
}

export interface RunningApi {
  url: string;
  /** Stops taking requests, waits for the restores in flight, and puts the handlers back. */
  close(): Promise<void>;
}

export async function startServe(options: ServeOptions, out: Output): Promise<RunningApi> {
  // As `run`: no receiver Atlas could reach here, so restores poll instead of waiting for alerts.
  const { alerts: _noReceiverHere, ...plans } = loadPlansFile(options.plansFile);
  const baseUrl = baseUrlFromEnv();
  const connection = localConnection(baseUrl);
  await refuseIfNobodyAnswers(baseUrl);
  const atlas = describeAtlasTarget(baseUrl);
  const now = () => new Date();
  const holds = new FileTargetHolds(options.holdsFile, now);
  const history = new FileRestoreHistory(options.historyFile ?? DEFAULT_HISTORY_FILE, await atlasOrigin(baseUrl));
  const channels = printedChannels(out, async () => {
    throw new Error('the local API posts no webhooks: the report is printed here');
  });
  useLocalEnvironment({ connection, plans, now, locks: new MemoryTargetLocks(now), ledger: new MemoryDeliveryLedger(now), holds, history, notifyChannels: channels });
  const defaultCaller = `local:${userInfo().username}`;
  let api: RestoreApi;
  try {
    api = await serveRestoreApi({
      host: options.host,
      port: options.port,
      plans,
      holds,
      // The API's records are the stack's (its schema has no `atlas`): which Atlas stays in the local file and `history`.
      history: { record: (r) => history.record(r), list: async (f) => (await history.list(f)).map(({ atlas: _atlas, ...r }) => r) },
      definition: synthesizeWorkflowDefinition({ plansConfig: plans }),
      defaultCaller,
      ...(options.waitMs !== undefined ? { run: { waitMs: options.waitMs } } : {}),
      out,
    });
  } catch (err) {
    useLocalEnvironment(undefined);
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new UsageError(`--port ${options.port}: something already listens on ${options.host}:${options.port}; choose another port`);
    throw err;
  }
  const { url } = api;
  out.heading(`The restore API on ${url}, restoring on ${atlas}`);
  out.line(`Try: curl -s ${url}/openapi.json   ·   callers without an X-Restore-Caller header are ${defaultCaller}   ·   Ctrl-C stops`);
  return {
    url,
    close: async () => {
      await api.close();
      useLocalEnvironment(undefined);
    },
  };
}

/** The command: serves until SIGINT or SIGTERM, then exits 0 once the restores in flight ended. */
export async function runServe(options: ServeOptions, out: Output): Promise<number> {
  const api = await startServe(options, out);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  out.line('Stopping: no new requests; waiting for the restores in flight to end.');
  await api.close();
  return 0;
}
