import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRemote, type RemoteOptions } from '../../../local/commands/remote.js';
import { createSignedApi, OperatorApiError, regionFromApiUrl } from '../../../local/operator/signedApi.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  signatureValid: boolean;
}

/** Checks the signature the way API Gateway does: recompute it from what arrived on the wire. */
async function verify(req: IncomingMessage, body: string): Promise<boolean> {
  const auth = String(req.headers.authorization ?? '');
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(';') ?? [];
  const amzDate = String(req.headers['x-amz-date']);
  const url = new URL(req.url ?? '/', 'http://placeholder');
  const headers: Record<string, string> = {};
  for (const h of signedHeaders) headers[h] = String(req.headers[h]);
  const signer = new SignatureV4({ service: 'execute-api', region: 'eu-west-1', credentials, sha256: Sha256 });
  const date = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const again = await signer.sign(
    {
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: String(req.headers.host).split(':')[0] ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: body || undefined,
    },
    { signingDate: date },
  );
  return again.headers.authorization === auth && auth.startsWith('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/');
}

describe('operator API client (SigV4)', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', async () => {
        const signatureValid = await verify(req, body);
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, signatureValid });
        res.setHeader('content-type', 'application/json');
        if (!signatureValid) {
          res.statusCode = 403;
          res.end(JSON.stringify({ message: 'The request signature we calculated does not match' }));
        } else if (req.url?.startsWith('/v1/restores/missing')) {
          res.statusCode = 404;
          res.end(JSON.stringify({ error: 'NotFound', message: 'No restore with id missing' }));
        } else {
          res.statusCode = req.method === 'POST' ? 202 : 200;
          res.end(JSON.stringify({ restoreId: 'r-1', status: 'STARTED' }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('signs a start request so that the server can verify it, with the idempotency key and dry-run flag', async () => {
    const api = createSignedApi({ apiUrl: baseUrl, region: 'eu-west-1', credentials });
    const answer = await api.startRestore({ plan: 'nightly' }, { idempotencyKey: 'nightly-2026-11-22', dryRun: true });
    expect(answer).toEqual({ status: 202, body: { restoreId: 'r-1', status: 'STARTED' } });
    const last = seen.at(-1)!;
    expect(last.signatureValid).toBe(true);
    expect(last.method).toBe('POST');
    expect(last.url).toBe('/v1/restores?dryRun=true');
    expect(last.headers['idempotency-key']).toBe('nightly-2026-11-22');
    expect(JSON.parse(last.body)).toEqual({ plan: 'nightly' });
  });

  it('signs GET and cancel calls and turns API errors into a readable error', async () => {
    const api = createSignedApi({ apiUrl: `${baseUrl}/`, region: 'eu-west-1', credentials });
    await expect(api.getRestore('r-1')).resolves.toMatchObject({ status: 200 });
    await expect(api.cancelRestore('r-1')).resolves.toMatchObject({ status: 202 });
    expect(seen.slice(-2).every((s) => s.signatureValid)).toBe(true);
    const err = await api.getRestore('missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperatorApiError);
    expect((err as OperatorApiError).status).toBe(404);
    expect((err as Error).message).toContain('No restore with id missing');
  });

  it('remote hold, release and holds: signed calls to the hold routes, the duration in minutes', async () => {
    const api = createSignedApi({ apiUrl: baseUrl, region: 'eu-west-1', credentials });
    const out = { color: false, line: () => undefined, heading: () => undefined, box: () => undefined, error: () => undefined };
    const base: RemoteOptions = { action: 'hold', api: baseUrl, dryRun: false, follow: false, everySeconds: 30 };
    const target = '65f1a0000000000000000002/staging-cluster';
    await runRemote({ ...base, target, for: '4h', reason: 'customer demo' }, out, api);
    await runRemote({ ...base, action: 'release', target }, out, api);
    await runRemote({ ...base, action: 'holds' }, out, api);
    const [hold, release, list] = seen.slice(-3);
    expect([hold, release, list].every((r) => r!.signatureValid)).toBe(true);
    expect([hold!.method, hold!.url]).toEqual(['POST', '/v1/restores/holds']);
    expect(JSON.parse(hold!.body)).toEqual({ target: { groupId: '65f1a0000000000000000002', clusterName: 'staging-cluster' }, forMinutes: 240, reason: 'customer demo' });
    expect([release!.method, release!.url]).toEqual(['POST', '/v1/restores/holds/65f1a0000000000000000002/staging-cluster/release']);
    expect([list!.method, list!.url]).toEqual(['GET', '/v1/restores/holds']);
    // A mistake is named before anything is signed and sent.
    const sent = seen.length;
    await expect(runRemote({ ...base, target, for: 'soon', reason: 'x' }, out, api)).rejects.toThrow(/--for soon/);
    expect(seen).toHaveLength(sent);
  });

  it('a request signed with other credentials is refused by the verifying server', async () => {
    const api = createSignedApi({ apiUrl: baseUrl, region: 'eu-west-1', credentials: { ...credentials, secretAccessKey: 'wrong' } });
    await expect(api.getRestore('r-1')).rejects.toMatchObject({ status: 403 });
  });

  it('reads the region from an execute-api URL', () => {
    expect(regionFromApiUrl('https://abc123.execute-api.eu-west-1.amazonaws.com/v1/')).toBe('eu-west-1');
    expect(regionFromApiUrl('https://restores.example.com/')).toBeUndefined();
  });
});
