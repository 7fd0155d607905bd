import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeliveryFaultEngine } from '../alerts/deliveryFaults.js';
import type { Authenticator } from '../auth/authenticate.js';
import { rolesOn, satisfies } from '../auth/roles.js';
import { echoingApiError, echoingTokenError } from '../auth/echo.js';
import { errors, SimApiError } from '../errors.js';
import type { FaultDecision, FaultEngine, RateLimiter } from '../faults.js';
import type { RequestLog, RequestLogEntry } from '../requestLog.js';
import type { Store } from '../state/store.js';
import { parseBoolean } from './pagination.js';
import { sendError, sendJson, sendSuccess } from './respond.js';
import type { Operation, Router } from './router.js';
import { negotiateVersion } from './versions.js';

/**
 * One request, start to finish: route → injected faults → authentication → media type version →
 * path parameters → project and roles → rate limit → the operation → the answer (or a lost one).
 */

export interface FaultState {
  engine: FaultEngine;
  /** Decides the fate of each alert sent to a webhook. */
  deliveries: DeliveryFaultEngine;
  rateLimiter: RateLimiter;
  oauthLimiter: RateLimiter;
}

/** Routes outside the Admin API (OAuth token, download links, simulator admin). */
export interface SpecialRoute {
  name: string;
  method: string;
  match(pathname: string): Record<string, string> | undefined;
  /** Fault rules apply to it (the token endpoint) or not (download links, admin). */
  faultable: boolean;
  handle(req: IncomingMessage, res: ServerResponse, body: string, params: Record<string, string>, entry: RequestLogEntry): void;
}

export interface PipelineDeps {
  router: Router;
  specials: SpecialRoute[];
  store: Store;
  auth: Authenticator;
  faults: () => FaultState;
  log: RequestLog;
  baseUrl: () => string;
  onInternalError: (error: unknown) => void;
}

const ID_PARAM = /^[a-f0-9]{24}$/;
const NAME_PARAM = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;
const MAX_BODY = 1_048_576;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new SimApiError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function checkPathParams(params: Record<string, string>): void {
  const fields = Object.entries(params).flatMap(([name, value]) => {
    if (name.endsWith('Id') && !ID_PARAM.test(value)) return [{ field: name, description: 'must be a 24-character hexadecimal string' }];
    if ((name === 'clusterName' || name === 'name') && (!NAME_PARAM.test(value) || value.length > 64))
      return [{ field: name, description: 'must match ^[a-zA-Z0-9][a-zA-Z0-9-]*$' }];
    return [];
  });
  if (fields.length) throw errors.validation(fields);
}

function injectedError(status: number, limit: number | undefined): SimApiError {
  if (status === 429) return errors.rateLimited(limit ?? 100, 1);
  if (status >= 500) {
    const e = errors.unexpected(status);
    return status === 503 ? new SimApiError(503, e.errorCode, e.detail, [], undefined, { 'Retry-After': '1' }) : e;
  }
  return new SimApiError(status, 'SIMULATED_FAULT', `Simulated ${status} answer.`);
}

/** The answer goes out cut in the middle: whatever the work did stands, the body is not JSON. */
function garble(res: ServerResponse): void {
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  res.end = ((chunk?: unknown) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
    return end(text.length > 1 ? text.slice(0, Math.ceil(text.length / 2)) : '{');
  }) as typeof res.end;
}

export function createPipeline(deps: PipelineDeps) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', deps.baseUrl());
    const entry = deps.log.start({
      time: deps.store.now(),
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      auth: deps.auth.summarize(req.headers.authorization),
    });
    // Errors about the query itself are still answered prettily when asked.
    const pretty = url.searchParams.get('pretty')?.toLowerCase() === 'true';
    let lostAnswer = false;
    const fail = (error: SimApiError) => {
      entry.status = error.status;
      entry.errorCode = error.errorCode;
      if (lostAnswer) return void req.socket.destroy();
      sendError(res, error, pretty);
    };
    try {
      const body = await readBody(req);
      const special = deps.specials.find((s) => s.method === method && s.match(url.pathname));
      const route = special ? undefined : deps.router.match(method, url.pathname);
      entry.operation = special?.name ?? (route?.kind === 'found' ? route.op.name : undefined);

      let decision: FaultDecision = { drop: false, lostAnswer: false, delayMs: 0 };
      if (special?.faultable || route?.kind === 'found') decision = deps.faults().engine.decide(entry.operation ?? '', method, url.pathname, req.headers.authorization !== undefined);
      if (decision.label) entry.fault = decision.label;
      if (decision.delayMs > 0) await sleep(decision.delayMs);
      if (decision.drop) return void req.socket.destroy();
      if (decision.status !== undefined && decision.echo) {
        const credentials = deps.auth.credentialsIn(req.headers.authorization, body);
        entry.status = decision.status;
        if (special?.name === 'createOAuthToken') return sendJson(res, decision.status, echoingTokenError(credentials, req.headers.authorization));
        return fail(echoingApiError(decision.status, credentials, req.headers.authorization));
      }
      if (decision.status !== undefined) return fail(injectedError(decision.status, deps.faults().rateLimiter.limit));
      if (decision.garbled) garble(res);
      lostAnswer = decision.lostAnswer;
      if (lostAnswer) {
        // Do the work, then lose the answer: the caller cannot tell whether the create happened.
        res.write = (() => true) as typeof res.write;
        res.end = (() => {
          req.socket.destroy();
          return res;
        }) as typeof res.end;
      }

      if (special) return special.handle(req, res, body, special.match(url.pathname) ?? {}, entry);
      if (!route || route.kind === 'none') throw errors.resourceNotFound(url.pathname);
      if (route.kind === 'wrongMethod') throw errors.methodNotAllowed(method, url.pathname);
      // A create that lands late: Atlas took the request but its job shows only later.
      deps.store.landingDelayMs = decision.landsLateMs ?? 0;
      await runOperation(deps, route.op, route.params, req, res, url, body, entry, pretty);
    } catch (e) {
      if (e instanceof SimApiError) return fail(e);
      // A bug in the simulator itself: answer 500 like Atlas would, and say so loudly.
      entry.fault = `simulator error: ${e instanceof Error ? e.message : String(e)}`;
      deps.onInternalError(e);
      return fail(errors.unexpected(500));
    } finally {
      deps.store.landingDelayMs = 0;
      if (lostAnswer) entry.status = undefined;
      deps.log.finish(entry);
    }
  };
}

async function runOperation(
  deps: PipelineDeps,
  op: Operation,
  params: Record<string, string>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  rawBody: string,
  entry: RequestLogEntry,
  pretty: boolean,
): Promise<void> {
  const principal = deps.auth.authenticate(req.headers.authorization, req.method ?? 'GET', req.url ?? '/');
  if (principal instanceof SimApiError) throw principal;
  entry.auth = { type: principal.type, principal: principal.id };

  const version = negotiateVersion(req.headers.accept, op.versions);
  if (!version) throw errors.notAcceptable();

  checkPathParams(params);
  // The root (getSystemStatus) names no project: any caller who authenticated may read it.
  const groupId = params.groupId;
  if (groupId !== undefined) {
    if (!deps.store.projects.has(groupId)) throw errors.groupNotFound(groupId);
    if (!satisfies(rolesOn(principal.roles, groupId), op.roles)) throw errors.forbidden();
  }

  const limiter = deps.faults().rateLimiter;
  const taken = limiter.take(groupId === undefined ? `caller:${principal.id}` : `group:${groupId}`);
  if (!taken.ok) {
    entry.fault = 'rate limited';
    const e = errors.rateLimited(limiter.limit ?? 0, taken.retryAfterSeconds);
    throw new SimApiError(e.status, e.errorCode, e.detail, e.parameters, undefined, {
      ...e.headers,
      'RateLimit-Limit': String(limiter.limit),
      'RateLimit-Remaining': '0',
    });
  }

  const envelope = parseBoolean('envelope', url.searchParams.get('envelope'), false);
  parseBoolean('pretty', url.searchParams.get('pretty'), false);
  let body: unknown;
  if (rawBody.trim() !== '') {
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw errors.malformedJson();
    }
  }
  deps.store.settle();
  const reply = op.handle({
    method: op.method,
    url,
    params,
    query: url.searchParams,
    body,
    principal,
    version,
    store: deps.store,
    baseUrl: deps.baseUrl(),
    now: deps.store.now(),
  });
  entry.status = reply.status;
  entry.version = version;
  const limit = limiter.limit ?? 100;
  const remaining = taken.remaining ?? limit;
  sendSuccess(res, reply.status, reply.body, version, { envelope, pretty }, {
    'RateLimit-Limit': String(limit),
    'RateLimit-Remaining': String(remaining),
  });
}
