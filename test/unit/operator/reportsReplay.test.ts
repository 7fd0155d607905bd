import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runReportsReplay } from '../../../local/commands/reports.js';
import { invokeFunction } from '../../../local/operator/invokeFunction.js';

/** `reports replay`: one signed Lambda Invoke of the notify function with {replayReport}, and what it says back. */

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function fakeLambda(answer: unknown, headers: Record<string, string> = {}) {
  const seen: { path?: string; headers?: IncomingHttpHeaders; body?: string } = {};
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      Object.assign(seen, { path: req.url, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  close = () => new Promise((r) => server.close(() => r()));
  return { seen, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const lines = () => {
  const out: string[] = [];
  return { out, output: { color: false, line: (t: string) => void out.push(t), heading: () => undefined, box: () => undefined, error: () => undefined } };
};

describe('reports replay', () => {
  it('invokes the notify function, signed for lambda, with the report id, and says where the report went', async () => {
    const lambda = await fakeLambda({ reportId: 'r-1/SUCCEEDED', deliveredNow: ['webhook:slack'], deliveredEarlier: [], failed: [] });
    const { out, output } = lines();
    const code = await runReportsReplay({ report: 'r-1/SUCCEEDED', function: 'notify-fn', region: 'eu-west-1' }, output, (payload, o) =>
      invokeFunction(payload, { ...o, endpoint: lambda.endpoint, credentials }),
    );
    expect(code).toBe(0);
    expect(lambda.seen.path).toBe('/2015-03-31/functions/notify-fn/invocations');
    expect(JSON.parse(lambda.seen.body!)).toEqual({ replayReport: 'r-1/SUCCEEDED' });
    expect(lambda.seen.headers?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/lambda\/aws4_request/);
    expect(out.join('\n')).toContain('sent now to webhook:slack');
  });

  it('exits 1 when nothing is kept under that id, or a channel still misses the report', async () => {
    for (const answer of [{ reportId: 'r-2', found: false }, { reportId: 'r-2', deliveredNow: [], failed: ['sns'] }]) {
      const lambda = await fakeLambda(answer);
      const { out, output } = lines();
      expect(await runReportsReplay({ report: 'r-2', function: 'notify-fn', region: 'eu-west-1' }, output, (p, o) => invokeFunction(p, { ...o, endpoint: lambda.endpoint, credentials }))).toBe(1);
      expect(out.join('\n')).toMatch(/No report r-2 is kept|still missing: sns/);
      await close!();
      close = undefined;
    }
  });

  it('a function error is an error, not a replay', async () => {
    const lambda = await fakeLambda({ errorType: 'AccessDeniedException', errorMessage: 'no' }, { 'x-amz-function-error': 'Unhandled' });
    await expect(invokeFunction({ replayReport: 'x' }, { functionName: 'f', region: 'eu-west-1', endpoint: lambda.endpoint, credentials })).rejects.toThrow(
      /Unhandled.*AccessDeniedException/,
    );
  });
});
