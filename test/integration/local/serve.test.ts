import { Ajv2020 } from 'ajv/dist/2020.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../../../local/commands/output.js';
import { startServe, type RunningApi } from '../../../local/commands/serve.js';
import { startHttpApi } from '../../../local/serve/httpApi.js';
import { startSimulator, type SimulatorHandle } from '../../../local/simulator/index.js';
import { ADMIN_KEY, PROD, STAGING, defaultWorld } from '../atlas/helpers.js';

/**
 * `npm run restore -- serve`: the API's own routes on 127.0.0.1, its restores run by the local
 * runner against the simulator (scaled: an hour a second; each Wait 10 ms of real time). Every
 * answer is held to the OpenAPI document the deployed API publishes (docs/openapi.json).
 */

const doc = JSON.parse(readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ ...doc, $id: 'openapi.json' });
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function expectDocumented(route: string, method: string, status: number, body: unknown): void {
  const op = doc.paths[route]?.[method.toLowerCase()];
  expect(op, `${method} ${route} is in the document`).toBeDefined();
  expect(Object.keys(op!.responses), `${method} ${route}`).toContain(String(status));
  const validate = ajv.getSchema(`openapi.json#/${pointer('paths', route, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema')}`)!;
  expect({ route: `${method} ${route}`, status, valid: validate(body), errors: validate.errors, body }).toMatchObject({ valid: true });
}

const lines: string[] = [];
const out: Output = { color: false, line: (t) => void lines.push(t), heading: (t) => void lines.push(t), box: (t) => void lines.push(t), error: (t) => void lines.push(t) };

let sim: SimulatorHandle;
let api: RunningApi;
const saved = { ...process.env };

beforeAll(async () => {
  sim = await startSimulator(defaultWorld(), { clock: { scale: 3600 } });
  Object.assign(process.env, {
    MONGODB_ATLAS_BASE_URL: sim.baseUrl,
    MONGODB_ATLAS_PUBLIC_API_KEY: ADMIN_KEY.publicKey,
    MONGODB_ATLAS_PRIVATE_API_KEY: ADMIN_KEY.privateKey,
  });
  const dir = mkdtempSync(join(tmpdir(), 'serve-'));
  api = await startServe({ host: '127.0.0.1', port: 0, plansFile: 'config/plans.json', holdsFile: join(dir, 'holds.json'), historyFile: join(dir, 'history.json'), waitMs: 10 }, out);
});

afterAll(async () => {
  await api?.close();
  await sim?.stop();
  process.env = { ...saved };
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('serve: the HTTP API on this machine', () => {
  it('listens on loopback and says where, and which Atlas its restores go to', () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.join('\n')).toContain(`The restore API on ${api.url}, restoring on the local simulator at ${sim.baseUrl}`);
  });

  it('serves the OpenAPI document the deployed API serves', async () => {
    const res = await call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths as object).sort()).toEqual(Object.keys(doc.paths).sort());
  });

  it('answers a dry run with the checks and creates nothing', async () => {
    const jobs = sim.jobs().length;
    const res = await call('POST', '/restores?dryRun=true', { plan: 'recover-prod-before-alarm' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expectDocumented('/restores', 'POST', 200, res.body);
    expect(sim.jobs()).toHaveLength(jobs);
  });

  it('starts a restore (202), answers a repeat with the same key with the same restore, and follows it to its end', async () => {
    const key = { 'Idempotency-Key': 'serve-download-1' };
    const started = await call('POST', '/restores', { plan: 'download-prod-latest' }, key);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expectDocumented('/restores', 'POST', 202, started.body);
    expect(started.body.restoreId).toBe('serve-download-1');
    const again = await call('POST', '/restores', { plan: 'download-prod-latest' }, key);
    expect([200, 202]).toContain(again.status);
    expect(again.body.restoreId).toBe('serve-download-1');

    let view: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 400; i++) {
      view = await call('GET', '/restores/serve-download-1');
      if ((view.body.workflow as { status: string }).status !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(view!.status).toBe(200);
    expectDocumented('/restores/{id}', 'GET', 200, view!.body);
    expect(view!.body.workflow).toMatchObject({ status: 'SUCCEEDED' });
    expect(view!.body.outcome, JSON.stringify(view!.body)).toBe('SUCCEEDED');
    expect(sim.jobs().filter((j) => j.groupId === PROD && j.kind === 'cloud.download')).toHaveLength(1);

    const history = await call('GET', '/restores?plan=download-prod-latest');
    expect(history.status).toBe(200);
    expectDocumented('/restores', 'GET', 200, history.body);
    expect(JSON.stringify(history.body)).toContain('serve-download-1');
  }, 60_000);

  it("fails a restore whose post-restore steps cannot run here, before anything is created, saying why", async () => {
    const jobs = sim.jobs().length;
    const started = await call('POST', '/restores', { plan: 'nightly-staging' }, { 'Idempotency-Key': 'serve-steps-1' });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    let view: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 100; i++) {
      view = await call('GET', '/restores/serve-steps-1');
      if ((view.body.workflow as { status: string }).status !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expectDocumented('/restores/{id}', 'GET', 200, view!.body);
    expect(view!.body.workflow).toMatchObject({ status: 'FAILED' });
    expect(view!.body.error).toMatchObject({ error: 'PostRestoreStepsCannotRunHere', message: expect.stringContaining('cannot run on this machine') });
    expect(sim.jobs()).toHaveLength(jobs);
  });

  it('places, lists and releases a hold in the caller named by X-Restore-Caller', async () => {
    const target = { groupId: STAGING, clusterName: 'staging-cluster' };
    const placed = await call('POST', '/restores/holds', { target, for: '2h', reason: 'examining the data' }, { 'X-Restore-Caller': 'alice' });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expectDocumented('/restores/holds', 'POST', 201, placed.body);
    const listed = await call('GET', '/restores/holds');
    expectDocumented('/restores/holds', 'GET', 200, listed.body);
    expect(JSON.stringify(listed.body)).toContain('alice');
    const released = await call('DELETE', `/restores/holds/${STAGING}/staging-cluster`, undefined, { 'X-Restore-Caller': 'alice' });
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expectDocumented('/restores/holds/{groupId}/{clusterName}', 'DELETE', 200, released.body);
  });

  it('refuses what the deployed API refuses: an unknown path (404), a body that is not JSON (415)', async () => {
    expect((await call('GET', '/nowhere')).status).toBe(404);
    const notJson = await fetch(`${api.url}/restores`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'planName=x' });
    expect(notJson.status).toBe(415);
  });

  it('will not bind anything but loopback', async () => {
    await expect(startHttpApi({ host: '0.0.0.0', port: 0, deps: {} as never, defaultCaller: 'x' })).rejects.toThrow(/loopback only/);
  });
});
