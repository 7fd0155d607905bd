import type { Authenticator } from '../auth/authenticate.js';
import type { SimClock } from '../clock.js';
import type { FaultState, SpecialRoute } from '../http/pipeline.js';
import { sendJson } from '../http/respond.js';
import { phaseAt } from '../state/model.js';
import type { Store } from '../state/store.js';
import { iso } from '../time.js';

/** Routes beside the Admin API: the OAuth token endpoint and a small admin view for the standalone server. */

const exact = (path: string) => (pathname: string) => (pathname === path ? {} : undefined);

export function tokenRoute(auth: Authenticator, faults: () => FaultState): SpecialRoute {
  return {
    name: 'createOAuthToken',
    method: 'POST',
    faultable: true,
    match: exact('/api/oauth/token'),
    handle: (req, res, body, _params, entry) => {
      const clientId = entry.auth.principal ?? 'anonymous';
      const limiter = faults().oauthLimiter;
      const taken = limiter.take(`oauth:${clientId}`);
      if (!taken.ok) {
        entry.status = 429;
        entry.errorCode = 'RATE_LIMITED';
        entry.fault = 'rate limited';
        return sendJson(
          res,
          429,
          { error: 429, errorCode: 'RATE_LIMITED', reason: 'Too Many Requests', detail: 'Too many token requests.', parameters: [] },
          { 'Retry-After': String(taken.retryAfterSeconds) },
        );
      }
      const answer = auth.tokenRequest(req.headers.authorization, req.headers['content-type'], body);
      entry.status = answer.status;
      if (answer.status !== 200) entry.errorCode = (answer.body as { error: string }).error;
      sendJson(res, answer.status, answer.body);
    },
  };
}

/** `GET /__sim/state` (clusters' data and jobs) and `POST /__sim/advance?ms=N`, for people and other processes. */
export function adminRoutes(store: Store, clock: SimClock): SpecialRoute[] {
  return [
    {
      name: 'simulatorState',
      method: 'GET',
      faultable: false,
      match: exact('/__sim/state'),
      handle: (_req, res, _body, _params, entry) => {
        store.settle();
        const now = store.now();
        entry.status = 200;
        sendJson(res, 200, {
          now: iso(now),
          clock: clock.mode,
          // How fast simulated time runs (realtime clocks): a local run's history keeps it beside its times.
          scale: clock.scale,
          clusters: store.clusters().map((c) => ({ groupId: c.groupId, name: c.name, kind: c.kind, dataVersion: store.dataVersion(c) })),
          jobs: [...store.jobs.values()].map((j) => ({
            id: j.id,
            kind: j.kind,
            groupId: j.groupId,
            clusterName: j.clusterName,
            target: j.target,
            phase: phaseAt(j, now),
            dataVersion: j.dataVersion,
          })),
        });
      },
    },
    {
      name: 'simulatorAdvance',
      method: 'POST',
      faultable: false,
      match: exact('/__sim/advance'),
      handle: (req, res, _body, _params, entry) => {
        const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms'));
        if (!Number.isFinite(ms) || ms < 0) {
          entry.status = 400;
          return sendJson(res, 400, { error: 400, detail: 'ms must be a non-negative number' });
        }
        clock.advance(ms);
        store.settle();
        entry.status = 200;
        sendJson(res, 200, { now: iso(store.now()) });
      },
    },
  ];
}
