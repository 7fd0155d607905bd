import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 standing in for a Slack/Teams webhook: answers with the queued
 * status codes in turn (the last one repeats; HANG never answers) and records what it received.
 */

interface ReceivedPost {
  method: string;
  url: string;
  contentType: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HookServer {
  /** Base URL, e.g. http://127.0.0.1:54321 */
  base: string;
  received: ReceivedPost[];
  close(): Promise<void>;
}

/** A status that never answers. */
export const HANG = 0;

/** Each answer: a status code, or [status, body] (e.g. Slack's [404, 'no_service']). */
export async function startHookServer(statuses: (number | [number, string])[]): Promise<HookServer> {
  const received: ReceivedPost[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = statuses[Math.min(received.length - 1, statuses.length - 1)] ?? 200;
      if (status === HANG) return; // never answers: the client's timeout must end it
      const [code, text] = typeof status === 'number' ? [status, status < 300 ? 'ok' : 'no'] : status;
      res.writeHead(code, { 'content-type': 'text/plain' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
