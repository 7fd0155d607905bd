import type { ServerResponse } from 'node:http';
import type { SimApiError } from '../errors.js';
import { JSON_TYPE, mediaType } from './versions.js';

/**
 * Writes answers the way Atlas does: the resolved media type on success, plain JSON on errors,
 * `envelope=true` wrapping (`{status, content}`, or `status` added to a list) with HTTP 200,
 * `pretty=true` indentation, and the rate-limit headers on 2xx.
 */
export interface Presentation {
  envelope: boolean;
  pretty: boolean;
}

function serialize(body: unknown, pretty: boolean): string {
  return pretty ? `${JSON.stringify(body, null, 2)}\n` : JSON.stringify(body);
}

function isList(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && Array.isArray((body as { results?: unknown }).results);
}

export function sendSuccess(
  res: ServerResponse,
  status: number,
  body: unknown,
  version: string,
  presentation: Presentation,
  headers: Record<string, string>,
): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (presentation.envelope) {
    const wrapped = isList(body) ? { ...body, status } : { status, ...(body !== undefined && { content: body }) };
    res.writeHead(200, { 'Content-Type': mediaType(version) });
    res.end(serialize(wrapped, presentation.pretty));
    return;
  }
  if (status === 204 || body === undefined) {
    res.writeHead(status, { 'Content-Type': mediaType(version) });
    res.end();
    return;
  }
  res.writeHead(status, { 'Content-Type': mediaType(version) });
  res.end(serialize(body, presentation.pretty));
}

export function sendError(res: ServerResponse, error: SimApiError, pretty: boolean): void {
  for (const [k, v] of Object.entries(error.headers)) res.setHeader(k, v);
  res.writeHead(error.status, { 'Content-Type': JSON_TYPE });
  res.end(serialize(error.body(), pretty));
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}
