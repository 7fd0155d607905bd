import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { ApiDeps } from './deps.js';
import { checkEnvelope, type Envelope } from './envelope.js';
import { cancelRestore, getRestore } from './follow.js';
import { listRestores, HISTORY_QUERY } from './history.js';
import { HOLD_ROUTES, holdRoute } from './holds.js';
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
 */

type Handler = (event: APIGatewayProxyEvent, deps: ApiDeps, restoreId: string) => Promise<ApiResponse>;

interface Route {
  /** The API Gateway resource template, as lib/ declares it. */
  resource: string;
  pattern: RegExp;
  methods: Partial<Record<string, Handler>>;
  /** The query parameters and body it understands: anything else is refused (./envelope.ts). */
  envelope: Envelope;
  /** Where one method understands other parameters than the route's others (GET /restores). */
  envelopeOf?: Partial<Record<string, Envelope>>;
}

const ROUTES: Route[] = [
  {
    resource: '/restores',
    pattern: /^\/restores$/,
    methods: { POST: (event, deps) => submitRestore(event, deps), GET: (event, deps) => listRestores(event, deps) },
    envelope: { query: ['dryRun'], body: 'json' },
    envelopeOf: { GET: { query: HISTORY_QUERY, body: 'none' } },
  },
  {
    resource: '/restores/{id}',
    pattern: /^\/restores\/([^/]+)$/,
    methods: { GET: (_e, deps, id) => getRestore(id, deps) },
    envelope: { query: [], body: 'none' },
  },
  {
    resource: '/restores/{id}/cancel',
    pattern: /^\/restores\/([^/]+)\/cancel$/,
    methods: { POST: (event, deps, id) => cancelRestore(id, event, deps) },
    envelope: { query: [], body: 'none' },
  },
  {
    resource: '/openapi.json',
    pattern: /^\/openapi\.json$/,
    methods: { GET: async () => json(200, openApiDocument()) },
    envelope: { query: [], body: 'none' },
  },
];

/** Every route served, as `METHOD /resource`: the OpenAPI test holds the document to it. */
export function servedRoutes(): string[] {
  return [...ROUTES.flatMap((r) => Object.keys(r.methods).map((m) => `${m} ${r.resource}`)), ...HOLD_ROUTES];
}

export async function handleApiRequest(event: APIGatewayProxyEvent, deps: ApiDeps): Promise<ApiResponse> {
  const requestId = event.requestContext?.requestId ?? 'unknown';
  try {
    // Before the restore routes: `/restores/holds` would otherwise read as a restore id.
    const held = holdRoute(event, deps);
    if (held) return await held;
    const { route, rawId } = findRoute(event);
    if (!route) throw new ApiError(404, 'NotFound', `No such resource: ${event.httpMethod} ${event.path}`);
    const handler = route.methods[event.httpMethod?.toUpperCase() ?? ''];
    const allow = Object.keys(route.methods).join(', ');
    if (!handler) throw new ApiError(405, 'MethodNotAllowed', `${event.httpMethod} is not allowed here (allowed: ${allow})`, {}, { Allow: allow });
    checkEnvelope(event, route.envelopeOf?.[event.httpMethod.toUpperCase()] ?? route.envelope);
    let restoreId = '';
    if (rawId !== undefined) {
      const id = RestoreId.safeParse(rawId);
      if (!id.success) throw zodValidationError(id.error, 'path.id');
      restoreId = id.data;
    }
    return await handler(event, deps, restoreId);
  } catch (err) {
    return errorResponse(err, requestId, deps.logger);
  }
}

/** Prefers API Gateway's resource template and path parameters; falls back to the raw path. */
function findRoute(event: APIGatewayProxyEvent): { route: Route | undefined; rawId: string | undefined } {
  const byResource = ROUTES.find((r) => r.resource === event.resource);
  if (byResource) return { route: byResource, rawId: byResource.resource.includes('{id}') ? (event.pathParameters?.id ?? '') : undefined };
  const path = (event.path ?? '').replace(/\/+$/, '') || '/';
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (m) return { route, rawId: m[1] === undefined ? undefined : safeDecode(m[1]) };
  }
  return { route: undefined, rawId: undefined };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // left as is; the id check then refuses it
  }
}

