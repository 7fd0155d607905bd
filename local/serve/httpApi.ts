import type { APIGatewayProxyEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiDeps } from '../../functions/core/api/deps.js';
import { handleApiRequest } from '../../functions/core/api/routes.js';
import { isLoopbackHost } from '../loopback.js';

/**
 * The restore API's own route table and handlers (functions/core/api, the code behind API Gateway)
 * served over plain HTTP on this machine. Each request becomes the REST proxy event API Gateway
 * would hand the Lambda, so the answers, the checks and the OpenAPI document are the deployed ones.
 *
 * There is no SigV4 here: the caller (who places a hold, who asked for a restore) is the
 * `X-Restore-Caller` header, else this machine's user. That is only acceptable on loopback, where
 * every caller is already a user of this machine, so nothing else can be bound.
 */

const CALLER_HEADER = 'x-restore-caller';

/**
 * Requests larger than this are refused before they are read whole: API Gateway's own limit is
 * 10 MB, and the API refuses bodies over 16 KiB itself (413); this only keeps memory bounded.
 */
const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpApiOptions {
  host: string;
  port: number;
  deps: ApiDeps;
  /** Who calls when the request does not say (the OS user, as `local:<name>`). */
  defaultCaller: string;
  /** One line per request, for the terminal. */
  log?: (line: string) => void;
}

export async function startHttpApi(options: HttpApiOptions): Promise<{ server: Server; url: string }> {
  if (!isLoopbackHost(options.host))
    throw new Error(`--host ${options.host}: the local API has no authentication, so it binds to loopback only (127.0.0.1, ::1 or localhost)`);
  const server = createServer((req, res) => {
    void answer(req, res, options).catch((err: unknown) => {
      // handleApiRequest answers every error itself; this is a broken socket or a bug: say so without a stack.
      if (!res.headersSent) send(res, 500, { error: 'InternalError', message: err instanceof Error ? err.message : String(err) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return { server, url: `http://${host}:${port}` };
}

async function answer(req: IncomingMessage, res: ServerResponse, options: HttpApiOptions): Promise<void> {
  const body = await readBody(req);
  if (body === undefined) {
    send(res, 413, { error: 'PayloadTooLarge', message: `the body is over ${MAX_BODY_BYTES} bytes` });
    return;
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[key] = value;
  const query: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) {
    query[key] = value;
    (multi[key] ??= []).push(value);
  }
  const caller = headers[CALLER_HEADER]?.trim() || options.defaultCaller;
  const requestId = randomUUID();
  const event = {
    httpMethod: req.method ?? 'GET',
    path: url.pathname,
    resource: '/{proxy+}',
    headers,
    multiValueHeaders: {},
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: Object.keys(multi).length ? multi : null,
    pathParameters: null,
    stageVariables: null,
    body: body.length ? body.toString('utf8') : null,
    isBase64Encoded: false,
    requestContext: { requestId, identity: { userArn: caller, caller } },
  } as unknown as APIGatewayProxyEvent;
  const response = await handleApiRequest(event, options.deps);
  options.log?.(`${event.httpMethod} ${url.pathname}${url.search} -> ${response.statusCode} (caller ${caller})`);
  res.writeHead(response.statusCode, { 'content-type': 'application/json', ...(response.headers as Record<string, string> | undefined) });
  res.end(response.body);
}

/** The whole body, or undefined once it passes MAX_BODY_BYTES (the rest is not read). */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
