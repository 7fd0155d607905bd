import { BASE_URL_VARIABLES, type BaseUrlChoice } from '../../functions/core/atlas/baseUrl.js';
import { connectionFromEnv, type AtlasConnection } from '../../functions/core/atlas/credentials.js';
import { connect } from 'node:net';
import { UsageError } from '../commandLine.js';
import { redact } from '../../functions/core/domain/redact.js';
import { isLoopbackHost } from '../loopback.js';

/**
 * Says which Atlas a local run talks to, in the words shown in every `run` heading and in the
 * confirmation prompt: someone with real keys in their shell who meant the simulator must see
 * "Atlas at https://cloud.mongodb.com" before anything is restored.
 */


export function atlasKind(baseUrl: string): 'the local simulator' | 'Atlas' {
  // Loopback is where the simulator listens; anything else is taken to be a real Atlas.
  return isLoopbackHost(new URL(baseUrl).hostname) ? 'the local simulator' : 'Atlas';
}

/** e.g. "the local simulator at http://127.0.0.1:8090 (from MONGODB_ATLAS_OPS_MANAGER_URL)". */
export function describeAtlasTarget(choice: BaseUrlChoice): string {
  const why =
    choice.from === 'default'
      ? `the default: neither ${BASE_URL_VARIABLES.join(' nor ')} is set`
      : `from ${choice.from}${choice.ignored.length ? `; ${choice.ignored.join(' and ')} ignored` : ''}`;
  // Through the one redactor: a secret in the URL's userinfo, path or query must not reach a terminal or a CI log.
  return `${atlasKind(choice.baseUrl)} at ${redact(choice.baseUrl)} (${why})`;
}

/**
 * The simulator's own admin key (local/simulator/worlds/default.json), said when credentials are
 * missing: a first try on a laptop has none, and guessing them is the first thing people get stuck on.
 */
const SIMULATOR_KEYS = 'MONGODB_ATLAS_PUBLIC_API_KEY=simadmin MONGODB_ATLAS_PRIVATE_API_KEY=5f0c7d2e-0000-4000-8000-00000000a001';

/** The Atlas credentials of a local command; missing or broken ones are a usage mistake that says what to set. */
export function localConnection(choice: BaseUrlChoice): AtlasConnection {
  try {
    return connectionFromEnv();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // A first try with no credentials at all gets the simulator's keys (public, in its default world);
    // a half-set pair is named and nothing else is shown, not even a key the person set.
    const noneSet = !CREDENTIAL_VARIABLES.some((name) => process.env[name]);
    const simulator = atlasKind(choice.baseUrl) === 'the local simulator' ? '; the simulator' : '; for the simulator (MONGODB_ATLAS_BASE_URL=http://127.0.0.1:8090, npm run simulator)';
    throw new UsageError(`${message}${noneSet ? `${simulator} takes ${SIMULATOR_KEYS}` : ''}`);
  }
}

const CREDENTIAL_VARIABLES = ['MONGODB_ATLAS_PUBLIC_API_KEY', 'MONGODB_ATLAS_PRIVATE_API_KEY', 'MONGODB_ATLAS_CLIENT_ID', 'MONGODB_ATLAS_CLIENT_SECRET'];

/** Errors that mean nobody is there at all: a wrong port or host, not a passing hiccup worth retrying. */
const NOBODY_THERE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * One TCP connect to the Atlas a local command is about to use. A mistyped simulator port would
 * otherwise cost half a minute of retries (each Atlas call's, then the workflow's) before saying
 * so; a refused connection or an unknown host is said at once, in one line. A slow answer is left
 * to the usual retries: it may be a real network having a bad moment.
 */
export async function refuseIfNobodyAnswers(choice: BaseUrlChoice, timeoutMs = 3000): Promise<void> {
  const url = new URL(choice.baseUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const code = await new Promise<string | undefined>((resolve) => {
    const socket = connect({ host, port });
    const done = (result: string | undefined) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once('connect', () => done(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code));
  });
  if (!code || !NOBODY_THERE.has(code)) return;
  const where = choice.from === 'default' ? choice.baseUrl : `${choice.from}=${choice.baseUrl}`;
  const hint = atlasKind(choice.baseUrl) === 'the local simulator' ? `start the simulator there (npm run simulator -- --port ${port}) or fix the port` : 'check the URL and this machine\'s network';
  throw new UsageError(`${where}: nothing answers at ${host}:${port} (${code}); ${hint}`);
}

/**
 * Which Atlas a local run's history record names (../runner/fileHistory.ts): the URL's host, and for
 * the simulator how fast its clock runs, which it says at `/__sim/state`. Asking costs one local
 * request; an answer that does not come leaves the scale unsaid rather than guessed.
 */
export async function atlasOrigin(choice: BaseUrlChoice): Promise<{ host: string; simulator: boolean; scale?: number }> {
  const url = new URL(choice.baseUrl);
  const simulator = atlasKind(choice.baseUrl) === 'the local simulator';
  if (!simulator) return { host: url.host, simulator };
  try {
    const res = await fetch(new URL('/__sim/state', url), { signal: AbortSignal.timeout(2000) });
    const state = (await res.json()) as { clock?: unknown; scale?: unknown };
    const scale = state.clock === 'manual' ? 0 : typeof state.scale === 'number' ? state.scale : undefined;
    return { host: url.host, simulator, ...(scale !== undefined ? { scale } : {}) };
  } catch {
    return { host: url.host, simulator };
  }
}
