import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../../../local/simulator/index.js';
import { ADMIN, api, digestCall, OPERATOR, P1, P2, READER, startTestSimulator, testWorld, UNKNOWN_ID } from './helpers.js';

/** Alert configurations: the endpoints `alerts setup` uses, validated and masked as Atlas does. */

const ALERTS_MANAGER = { user: 'alerts', pass: 'alerts-private-key' };
let sim: SimulatorHandle;

beforeEach(async () => {
  const world = testWorld();
  world.credentials!.apiKeys!.push({ publicKey: ALERTS_MANAGER.user, privateKey: ALERTS_MANAGER.pass, roles: { [P1]: ['GROUP_ALERTS_MANAGER'] } });
  sim = await startTestSimulator(world);
});
afterEach(async () => {
  await sim.stop();
});

const configs = (group = P1) => `/groups/${group}/alertConfigs`;
const call = (method: string, path: string, body?: unknown, creds = ADMIN) =>
  digestCall(sim.baseUrl, creds, method, `/api/atlas/v2${path}`, body === undefined ? {} : { body });
const webhook = (extra: Record<string, unknown> = {}) => ({
  typeName: 'WEBHOOK',
  webhookUrl: 'https://receiver.example.com/prod/atlas-alerts?token=abc',
  webhookSecret: 'whsec-0123456789',
  ...extra,
});
const restoreConfig = (extra: Record<string, unknown> = {}) => ({ eventTypeName: 'CPS_RESTORE_SUCCESSFUL', enabled: true, notifications: [webhook()], ...extra });

describe('alert configurations', () => {
  it('creates one, shows it masked in GET and in the list, with the spec default enabled=false', async () => {
    const created = await api(sim).post(configs(), { eventTypeName: 'CPS_RESTORE_FAILED', notifications: [webhook()] });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ groupId: P1, eventTypeName: 'CPS_RESTORE_FAILED', enabled: false, matchers: [] });
    expect(created.json.id).toMatch(/^[a-f0-9]{24}$/);
    const [n] = created.json.notifications;
    // The secret is never shown; the URL keeps only its origin (the spec's `https://webhook.com/****`).
    expect(n).toMatchObject({ typeName: 'WEBHOOK', webhookUrl: 'https://receiver.example.com/****', webhookSecret: '******' });
    expect(n.notifierId).toMatch(/^[a-f0-9]{24}$/);
    expect(created.text).not.toContain('whsec-0123456789');
    expect(created.text).not.toContain('token=abc');

    const got = await api(sim).get(`${configs()}/${created.json.id}`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(created.json);
    const list = await api(sim, READER).get(configs());
    expect(list.status).toBe(200);
    expect(list.json.results).toEqual([created.json]);
    expect(list.json.totalCount).toBe(1);
  });

  it('pages the list like the other lists', async () => {
    for (let i = 0; i < 3; i++) expect((await api(sim).post(configs(), restoreConfig())).status).toBe(200);
    const page = await api(sim).get(`${configs()}?itemsPerPage=2&pageNum=2`);
    expect(page.json.results).toHaveLength(1);
    expect(page.json.totalCount).toBe(3);
    expect(page.json.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'previous']);
    expect((await api(sim).get(`${configs()}?itemsPerPage=0`)).json.errorCode).toBe('INVALID_QUERY_PARAMETER');
    // Another project's list is its own.
    expect((await api(sim).get(configs(P2))).json.results).toEqual([]);
  });

  it('replaces a config with PUT; the masks sent back keep the secret and URL they stand for', async () => {
    const created = (await api(sim).post(configs(), restoreConfig())).json;
    const sentBack = { eventTypeName: 'CPS_RESTORE_SUCCESSFUL', enabled: false, notifications: created.notifications };
    const put = await call('PUT', `${configs()}/${created.id}`, sentBack);
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ id: created.id, enabled: false, created: created.created });
    expect(put.json.notifications[0]).toEqual(created.notifications[0]);
    // (That the secret and URL behind the masks were kept is seen in the alerts they receive: alertDelivery.test.ts.)

    const renamed = await call('PUT', `${configs()}/${created.id}`, restoreConfig({ notifications: [webhook({ webhookUrl: 'https://other.example.org/x', webhookSecret: '' })] }));
    expect(renamed.status).toBe(200);
    expect(renamed.json.notifications[0].webhookUrl).toBe('https://other.example.org/****');
    // An empty secret is no secret: Atlas then sends the alert unsigned.
    expect(renamed.json.notifications[0]).not.toHaveProperty('webhookSecret');
  });

  it('enables and disables with PATCH, and deletes', async () => {
    const created = (await api(sim).post(configs(), restoreConfig())).json;
    const off = await call('PATCH', `${configs()}/${created.id}`, { enabled: false });
    expect(off.status).toBe(200);
    expect(off.json.enabled).toBe(false);
    expect((await call('PATCH', `${configs()}/${created.id}`, {})).json).toMatchObject({ error: 400, errorCode: 'MISSING_ATTRIBUTE', parameters: ['enabled'] });
    expect((await call('PATCH', `${configs()}/${created.id}`, { enabled: 'yes' })).json.badRequestDetail.fields).toEqual([{ field: 'enabled', description: 'must be true or false' }]);
    expect((await api(sim).delete(`${configs()}/${created.id}`)).status).toBe(204);
    const gone = await api(sim).get(`${configs()}/${created.id}`);
    expect(gone.status).toBe(404);
    expect(gone.json).toMatchObject({ errorCode: 'ALERT_CONFIG_NOT_FOUND', parameters: [created.id, P1] });
    expect((await call('PUT', `${configs()}/${UNKNOWN_ID}`, restoreConfig())).json.errorCode).toBe('ALERT_CONFIG_NOT_FOUND');
    // A config of another project is not found through this one.
    const other = (await api(sim).post(configs(P2), restoreConfig())).json;
    expect((await api(sim).get(`${configs()}/${other.id}`)).status).toBe(404);
  });

  it.each([
    ['no event type', { notifications: [webhook()] }, 'MISSING_ATTRIBUTE', 'eventTypeName'],
    ['no notifications', { eventTypeName: 'CPS_RESTORE_FAILED' }, 'MISSING_ATTRIBUTE', 'notifications'],
    ['an unknown event type', restoreConfig({ eventTypeName: 'CPS_RESTORE_MAYBE' }), 'INVALID_ENUM_VALUE', 'eventTypeName'],
    ['a read-only field', restoreConfig({ id: 'aaaaaaaaaaaaaaaaaaaaaaaa' }), 'ATTRIBUTE_READ_ONLY', 'id'],
    ['an unknown field', restoreConfig({ threshold: 3 }), 'INVALID_ATTRIBUTE', 'threshold'],
    ['an unknown notification field', restoreConfig({ notifications: [webhook({ channelName: '#ops' })] }), 'INVALID_ATTRIBUTE', 'notifications[0].channelName'],
    ['another notification type', restoreConfig({ notifications: [{ typeName: 'SLACK', channelName: '#ops' }] }), 'INVALID_ATTRIBUTE', 'notifications[0].typeName'],
    ['a notification without type', restoreConfig({ notifications: [{ webhookUrl: 'https://x.example.com/' }] }), 'MISSING_ATTRIBUTE', 'notifications[0].typeName'],
    ['a webhook without URL', restoreConfig({ notifications: [{ typeName: 'WEBHOOK', webhookSecret: 'whsec-0123456789' }] }), 'MISSING_ATTRIBUTE', 'notifications[0].webhookUrl'],
    ['notifications not a list', restoreConfig({ notifications: webhook() }), 'INVALID_JSON_ATTRIBUTE', 'notifications'],
    ['matchers on a restore event', restoreConfig({ matchers: [{ fieldName: 'CLUSTER_NAME', operator: 'EQUALS', value: 'x' }] }), 'INVALID_ATTRIBUTE', 'matchers'],
  ])('refuses %s with a 400 naming the field, and creates nothing', async (_what, body, errorCode, fieldPath) => {
    const answer = await api(sim).post(configs(), body);
    expect(answer.status).toBe(400);
    expect(answer.json.errorCode).toBe(errorCode);
    expect(answer.json.badRequestDetail.fields[0].field).toBe(fieldPath);
    expect(answer.text).not.toContain('whsec-0123456789');
    expect((await api(sim).get(configs())).json.results).toEqual([]);
  });

  it('lists every type, pattern and range problem in one VALIDATION_ERROR', async () => {
    const body = restoreConfig({ enabled: 'true', notifications: [webhook({ webhookUrl: 'ftp://files', intervalMin: 2, delayMin: -1, notifierId: 'nope' })] });
    const answer = await api(sim).post(configs(), body);
    expect(answer.status).toBe(400);
    expect(answer.json.errorCode).toBe('VALIDATION_ERROR');
    expect(answer.json.badRequestDetail.fields).toEqual([
      { field: 'enabled', description: 'must be true or false' },
      { field: 'notifications[0].delayMin', description: 'must be at least 0' },
      { field: 'notifications[0].intervalMin', description: 'must be at least 5' },
      { field: 'notifications[0].notifierId', description: 'must match a 24-character hexadecimal id' },
    ]);
    const badUrl = await api(sim).post(configs(), restoreConfig({ notifications: [webhook({ webhookUrl: 'ftp://files' })] }));
    expect(badUrl.json.badRequestDetail.fields).toEqual([{ field: 'notifications[0].webhookUrl', description: 'must be an http or https URL' }]);
    const tooMany = await api(sim).post(configs(), restoreConfig({ notifications: Array.from({ length: 26 }, () => webhook()) }));
    expect(tooMany.json.badRequestDetail.fields).toEqual([{ field: 'notifications', description: 'must have at most 25 items' }]);
  });

  it('needs Project Alerts Manager (or Owner) to write, any project role to read', async () => {
    const forbidden = await api(sim, OPERATOR).post(configs(), restoreConfig());
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.errorCode).toBe('USER_UNAUTHORIZED');
    expect((await api(sim, READER).post(configs(), restoreConfig())).status).toBe(403);
    const created = await api(sim, ALERTS_MANAGER).post(configs(), restoreConfig());
    expect(created.status).toBe(200);
    expect((await call('PATCH', `${configs()}/${created.json.id}`, { enabled: false }, OPERATOR)).status).toBe(403);
    expect((await call('PUT', `${configs()}/${created.json.id}`, restoreConfig(), READER)).status).toBe(403);
    expect((await api(sim, READER).delete(`${configs()}/${created.json.id}`)).status).toBe(403);
    expect((await api(sim, OPERATOR).get(`${configs()}/${created.json.id}`)).status).toBe(200);
    // Alerts Manager in one project is nothing in another.
    expect((await api(sim, ALERTS_MANAGER).get(configs(P2))).status).toBe(403);
  });
});
