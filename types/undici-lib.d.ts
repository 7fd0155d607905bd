// undici publishes types for its index only; functions/core/domain/undici.ts imports three of its modules
// directly (to keep the rest out of the Lambda bundles). These give them the index's types.

declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici';
  export = Agent;
}

declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici';
  function request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  export = request;
}

declare module 'undici/lib/global.js' {
  import type { getGlobalDispatcher, setGlobalDispatcher } from 'undici';
  const global: { getGlobalDispatcher: typeof getGlobalDispatcher; setGlobalDispatcher: typeof setGlobalDispatcher };
  export = global;
}
