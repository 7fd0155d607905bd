import { createSignedApi, type SignedApi } from '../operator/signedApi.js';
import { holdFromOptions, parseTarget } from './holds.js';
import type { Output } from './output.js';

/**
 * `npm run restore -- remote …`: the operator's side of a deployed stack, through its HTTP API
 * signed with SigV4 (AWS credentials from the usual chain: environment, profile, SSO, role).
 */

export interface RemoteOptions {
  action: 'start' | 'status' | 'cancel' | 'follow' | 'hold' | 'release' | 'holds';
  api: string;
  region?: string;
  plan?: string;
  id?: string;
  idempotencyKey?: string;
  dryRun: boolean;
  follow: boolean;
  everySeconds: number;
  /** hold / release: `<groupId>/<clusterName>`, `4h`, why. The API records the caller's IAM principal as who. */
  target?: string;
  for?: string;
  reason?: string;
}

interface RestoreView {
  restoreId: string;
  workflow?: { status?: string };
  restore?: { summary?: string };
  status?: { state?: string; atlasStatus?: string };
  polls?: number;
  outcome?: string;
  message?: string;
}

export async function runRemote(options: RemoteOptions, out: Output, api: SignedApi = createSignedApi({ apiUrl: options.api, ...(options.region ? { region: options.region } : {}) })): Promise<number> {
  switch (options.action) {
    case 'start': {
      if (!options.plan) throw new Error('remote start needs --plan');
      const answer = await api.startRestore(
        { plan: options.plan },
        { ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}), dryRun: options.dryRun },
      );
      out.box(JSON.stringify(answer.body, null, 2));
      const id = (answer.body as { restoreId?: string }).restoreId;
      return options.follow && id && !options.dryRun ? follow(api, id, options.everySeconds, out) : 0;
    }
    case 'status': {
      const answer = await api.getRestore(required(options.id));
      out.box(JSON.stringify(answer.body, null, 2));
      return 0;
    }
    case 'cancel': {
      const answer = await api.cancelRestore(required(options.id));
      out.box(JSON.stringify(answer.body, null, 2));
      return 0;
    }
    case 'follow':
      return follow(api, required(options.id), options.everySeconds, out);
    case 'hold': {
      // Checked here first so a mistake is named before anything is signed and sent.
      const hold = holdFromOptions({ action: 'hold', target: options.target, for: options.for, reason: options.reason, by: 'the API caller' }, new Date());
      const forMinutes = Math.round((Date.parse(hold.until!) - Date.parse(hold.since)) / 60_000);
      const answer = await api.holdTarget({ target: hold.target, forMinutes, reason: hold.reason });
      out.box(JSON.stringify(answer.body, null, 2));
      return 0;
    }
    case 'release': {
      const answer = await api.releaseHold(parseTarget(options.target));
      out.box(JSON.stringify(answer.body, null, 2));
      return 0;
    }
    case 'holds': {
      const answer = await api.listHolds();
      out.box(JSON.stringify(answer.body, null, 2));
      return 0;
    }
  }
}

const required = (id: string | undefined) => {
  if (!id) throw new Error('this command needs --id <restoreId>');
  return id;
};

/** Prints a line whenever the restore's state changes; exits 0 on SUCCEEDED, 1 on any other end. */
async function follow(api: SignedApi, id: string, everySeconds: number, out: Output, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<number> {
  let last = '';
  for (;;) {
    const view = (await api.getRestore(id)).body as RestoreView;
    const line = `${view.workflow?.status ?? '?'} · Atlas ${view.status?.state ?? 'no job yet'}${view.status?.atlasStatus ? ` (${view.status.atlasStatus})` : ''} · ${view.polls ?? 0} polls`;
    if (line !== last) out.line(`${new Date().toISOString()}  ${line}`);
    last = line;
    if (view.workflow?.status && view.workflow.status !== 'RUNNING') {
      if (view.message) out.box(view.message);
      return view.outcome === 'SUCCEEDED' ? 0 : 1;
    }
    await sleep(everySeconds * 1000);
  }
}
