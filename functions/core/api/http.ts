import type { APIGatewayProxyEvent } from 'aws-lambda';

/** Small helpers over the API Gateway REST proxy event. */

/** Header lookup ignoring case (clients and API Gateway do not agree on it). */
export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** Where a restore can be followed and cancelled, relative to the API's base URL. */
export function restoreLinks(restoreId: string): { self: string; cancel: string } {
  const self = `/restores/${encodeURIComponent(restoreId)}`;
  return { self, cancel: `${self}/cancel` };
}
