import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { ApiDeps } from './deps.js';
import { checkEnvelope, type Envelope } from './envelope.js';
import { cancelRestore, getRestore } from './follow.js';
import { listRestores, HISTORY_QUERY } from './history.js';
import { listHolds, placeHold, releaseHold } from './holds.js';
import { openApiDocument } from './openapi.js';
import { ApiError, errorResponse, json, zodValidationError, type ApiResponse } from './responses.js';
import { RestoreId } from './schemas.js';
import { submitRestore } from './submit.js';

/**
 * The restore API behind API Gateway (REST, IAM auth, Lambda proxy integration):
 *
 *   POST /restores                 start a restore (plan + overrides, or an ad-hoc request)
 *   GET  /restores?plan=&since=    a plan's restore history and its auditor summary (./history.ts)
 *   GET  /restores/{id}            follow it
 *   POST /restores/{id}/cancel     cancel it
 *   GET|POST /restores/holds, DELETE /restores/holds/{groupId}/{clusterName}   hold targets (./holds.ts)
 *   GET  /openapi.json             this API's OpenAPI document (./openapi.ts)
 *
 * Every answer is JSON; an unknown path is 404, a known path with another method 405.
 *
 * One table says, for every route and method, what answers it and which envelope it takes (query
 * parameters, body: ./envelope.ts). The envelope is part of each method's entry, not a default,
 * and it is checked before any handler runs: a route added here cannot skip it.
 */

/** The path parameters of the route, by the names in its resource template (`{id}` → `id`). */
type Params = Readonly<Record<string, string>>;
type Handler = (event: APIGatewayProxyEvent, deps: ApiDeps, params: Params) => Promise<ApiResponse>;

interface Method {
  handler: Handler;
  /** The query parameters and body it understands: anything else is refused before it runs. */
  envelope: Envelope;
}

interface Route {
  /** The API Gateway resource template, as lib/ declares it. */
  resource: string;
  /** The same path, for events that do not name the resource; its groups are the params in template order. */
  pattern: RegExp;
  methods: Partial<Record<string, Method>>;
}

const NOTHING: Envelope = { query: [], body: 'none' };

const ROUTES: Route[] = [
  // Before `/restores/{id}`: `/restores/holds` would otherwise read as a restore id.
  {
    resource: '/restores/holds',
    pattern: /^\/restores\/holds$/,
    methods: {
      GET: { handler: (_e, deps) => listHolds(deps), envelope: NOTHING },
      POST: { handler: (event, deps) => placeHold(event, deps), envelope: { query: [], body: 'json' } },
    },
  },
  {
    resource: '/restores/holds/{groupId}/{clusterName}',
    pattern: /^\/restores\/holds\/([^/]+)\/([^/]+)$/,
    methods: { DELETE: { handler: (event, deps, p) => releaseHold(p, event, deps), envelope: NOTHING } },
  },
  {
    resource: '/restores/holds/{groupId}/{clusterName}/release',
    pattern: /^\/restores\/holds\/([^/]+)\/([^/]+)\/release$/,
    methods: { POST: { handler: (event, deps, p) => releaseHold(p, event, deps), envelope: NOTHING } },
  },
  {
    resource: '/restores',
    pattern: /^\/restores$/,
    methods: {
      POST: { handler: (event, deps) => submitRestore(event, deps), envelope: { query: ['dryRun'], body: 'json' } },
      GET: { handler: (event, deps) => listRestores(event, deps), envelope: { query: HISTORY_QUERY, body: 'none' } },
    },
  },
  {
    resource: '/restores/{id}',
    pattern: /^\/restores\/([^/]+)$/,
    methods: { GET: { handler: (_e, deps, p) => getRestore(restoreIdOf(p), deps), envelope: NOTHING } },
  },
  {
    resource: '/restores/{id}/cancel',
    pattern: /^\/restores\/([^/]+)\/cancel$/,
    methods: { POST: { handler: (event, deps, p) => cancelRestore(restoreIdOf(p), event, deps), envelope: NOTHING } },
  },
  {
    resource: '/openapi.json',
    pattern: /^\/openapi\.json$/,
    methods: { GET: { handler: async () => json(200, openApiDocument()), envelope: NOTHING } },
  },
];

/** Every route served, as `METHOD /resource`: the OpenAPI test holds the document to it. */
export function servedRoutes(): string[] {
  return ROUTES.flatMap((r) => Object.keys(r.methods).map((m) => `${m} ${r.resource}`));
}

/** The envelope a served route (`METHOD /resource`) takes: for the tests that hold every route to it. */
export function envelopeOf(route: string): Envelope | undefined {
  const [method, resource] = route.split(' ');
  return ROUTES.find((r) => r.resource === resource)?.methods[method ?? '']?.envelope;
}

export async function handleApiRequest(event: APIGatewayProxyEvent, deps: ApiDeps): Promise<ApiResponse> {
  const requestId = event.requestContext?.requestId ?? 'unknown';
  try {
    const { route, params } = findRoute(event);
    if (!route) throw new ApiError(404, 'NotFound', `No such resource: ${event.httpMethod} ${event.path}`);
    const method = route.methods[event.httpMethod?.toUpperCase() ?? ''];
    const allow = Object.keys(route.methods).join(', ');
    if (!method) throw new ApiError(405, 'MethodNotAllowed', `${event.httpMethod} is not allowed here (allowed: ${allow})`, {}, { Allow: allow });
    checkEnvelope(event, method.envelope);
    return await method.handler(event, deps, params);
  } catch (err) {
    return errorResponse(err, requestId, deps.logger);
  }
}

function restoreIdOf(params: Params): string {
  const id = RestoreId.safeParse(params.id ?? '');
  if (!id.success) throw zodValidationError(id.error, 'path.id');
  return id.data;
}

/** Prefers API Gateway's resource template and path parameters; falls back to the raw path. */
function findRoute(event: APIGatewayProxyEvent): { route: Route | undefined; params: Params } {
  const byResource = ROUTES.find((r) => r.resource === event.resource);
  if (byResource)
    return { route: byResource, params: Object.fromEntries(paramNames(byResource).map((n) => [n, event.pathParameters?.[n] ?? ''])) };
  const path = (event.path ?? '').replace(/\/+$/, '') || '/';
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (m) return { route, params: Object.fromEntries(paramNames(route).map((n, i) => [n, safeDecode(m[i + 1] ?? '')])) };
  }
  return { route: undefined, params: {} };
}

const paramNames = (route: Route) => [...route.resource.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // left as is; the id and target checks then refuse it
  }
}
