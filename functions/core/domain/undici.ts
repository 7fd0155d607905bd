import type { Dispatcher } from 'undici';
import UndiciAgent from 'undici/lib/dispatcher/agent.js';
import dispatcherRequest from 'undici/lib/api/api-request.js';
import undiciGlobal from 'undici/lib/global.js';

/**
 * The parts of undici the handlers use, taken from undici's own modules rather than its index.
 * undici is CommonJS, so esbuild cannot tree-shake it: `from 'undici'` bundles fetch, WebSocket,
 * the caches and the mock agents too (~700 KB), and runs them all at every cold start.
 * Types still come from the package (types/undici-lib.d.ts maps these paths onto them).
 * These paths are undici's internals, so package.json pins undici exactly; test/infra/bundling.test.ts
 * bundles every handler and would fail on an upgrade that moved them.
 */

export const Agent: typeof import('undici').Agent = UndiciAgent;

/**
 * `dispatcher.request(options)`. It is the very function undici's index assigns to
 * `Dispatcher.prototype.request`; loaded without the index, the prototype does not have it.
 */
export function request(dispatcher: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
  return dispatcherRequest.call(dispatcher, options);
}

/** undici's process-wide dispatcher (what its top-level `request` uses when given none). */
export const getGlobalDispatcher: () => Dispatcher = undiciGlobal.getGlobalDispatcher;
