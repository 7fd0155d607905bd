import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlertConfig, listAlertConfigs, updateAlertConfig } from '../../../functions/core/atlas/alertConfigs.js';
import { createAtlasClient, type AtlasClient, type AtlasClientEvent } from '../../../functions/core/atlas/index.js';
import { AtlasCreateOutcomeUnknownError, AtlasInvalidRequestError, AtlasNotFoundError } from '../../../functions/core/domain/errors.js';
import { startSimulator, type SimulatorHandle } from '../../../local/simulator/index.js';
import { ADMIN_KEY, PROD, READER_KEY, defaultWorld, noWait } from './helpers.js';

/** The alert-configuration calls of the real client against the real simulator. */

const SECRET = 'whsec-client-test-9f8e7d6c5b4a';
const URL_ = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/atlas-alerts';
const wanted = (eventTypeName: 'CPS_RESTORE_SUCCESSFUL' | 'CPS_RESTORE_FAILED' = 'CPS_RESTORE_SUCCESSFUL', enabled = true) => ({
  eventTypeName,
  enabled,
  webhookUrl: URL_,
  webhookSecret: SECRET,
});

let sim: SimulatorHandle;
let atlas: AtlasClient;
let events: AtlasClientEvent[];
beforeEach(async () => {
  sim = await startSimulator(defaultWorld(), { clock: 'manual', seed: 7 });
  events = [];
  atlas = createAtlasClient({ baseUrl: sim.baseUrl, credentials: ADMIN_KEY, onEvent: (e) => events.push(e), ...noWait });
});
afterEach(async () => {
  await atlas.close();
  await sim.stop();
});

describe('alert configuration calls', () => {
  it('creates, lists (every page) and replaces a WEBHOOK config; Atlas shows the secret masked', async () => {
    expect(await listAlertConfigs(atlas, PROD)).toEqual([]);
    const created = await createAlertConfig(atlas, PROD, wanted('CPS_RESTORE_FAILED', false));
    expect(created).toMatchObject({ eventTypeName: 'CPS_RESTORE_FAILED', enabled: false });
    expect(created.notifications).toEqual([expect.objectContaining({ typeName: 'WEBHOOK', webhookSecret: '******' })]);
    for (let i = 0; i < 101; i++) await createAlertConfig(atlas, PROD, wanted());
    const all = await listAlertConfigs(atlas, PROD);
    expect(all).toHaveLength(102);
    expect(sim.requests().filter((r) => r.operation === 'listAlertConfigs' && r.status === 200).map((r) => r.query.pageNum)).toEqual(['1', '1', '2']);

    const updated = await updateAlertConfig(atlas, PROD, created.id, wanted('CPS_RESTORE_FAILED', true));
    expect(updated).toMatchObject({ id: created.id, enabled: true });
    expect(sim.requests().at(-1)).toMatchObject({ method: 'PUT', operation: 'updateAlertConfig', status: 200 });
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });

  it('re-sends a PUT after a 503 (a replace repeated is the same replace), never a POST', async () => {
    const created = await createAlertConfig(atlas, PROD, wanted());
    sim.setFaults({ rules: [{ match: 'updateAlertConfig', script: [{ status: 503 }] }, { match: 'createAlertConfig', script: [{ status: 503 }] }] });
    await expect(updateAlertConfig(atlas, PROD, created.id, wanted('CPS_RESTORE_SUCCESSFUL', false))).resolves.toMatchObject({ enabled: false });
    expect(sim.requests().filter((r) => r.operation === 'updateAlertConfig').map((r) => r.status)).toEqual([503, 200]);
    const refused = await createAlertConfig(atlas, PROD, wanted()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AtlasCreateOutcomeUnknownError);
    expect(sim.requests().filter((r) => r.operation === 'createAlertConfig' && r.status === 503)).toHaveLength(1);
    expect(String((refused as Error).message)).not.toContain(SECRET);
  });

  it('turns Atlas refusals into typed errors, and checks ids before calling', async () => {
    const notFound = await updateAlertConfig(atlas, PROD, 'ffffffffffffffffffffffff', wanted()).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(AtlasNotFoundError);
    expect((notFound as AtlasNotFoundError).errorCode).toBe('ALERT_CONFIG_NOT_FOUND');
    const reader = createAtlasClient({ baseUrl: sim.baseUrl, credentials: READER_KEY, ...noWait });
    try {
      const forbidden = await createAlertConfig(reader, PROD, wanted()).catch((e: unknown) => e);
      expect((forbidden as { status?: number }).status).toBe(403);
      expect(String((forbidden as Error).message)).not.toContain(SECRET);
    } finally {
      await reader.close();
    }
    const before = sim.requests().length;
    await expect(listAlertConfigs(atlas, 'not-a-project')).rejects.toBeInstanceOf(AtlasInvalidRequestError);
    await expect(updateAlertConfig(atlas, PROD, '../../clusters', wanted())).rejects.toBeInstanceOf(AtlasInvalidRequestError);
    expect(sim.requests()).toHaveLength(before);
  });
});
