import { describe, expect, it } from 'vitest';
import { countAtlasCalls } from '../../../functions/core/atlas/callCount.js';
import { createAtlasClient } from '../../../functions/core/atlas/index.js';
import type { SimulatorHandle } from '../../../local/simulator/index.js';
import { PROD, SERVICE_ACCOUNT, freshSimulatorEach, noWait } from './helpers.js';

/**
 * Atlas calls are counted per piece of work, not per client: one client (and its cached OAuth
 * token) serves every restore of a process, and each restore's count holds only its own requests,
 * the token request included for the work that needed it. The simulator's log is the referee.
 */

const snapshots = `/api/atlas/v2/groups/${PROD}/clusters/prod-cluster/backup/snapshots`;

let sim: SimulatorHandle;
freshSimulatorEach((s) => (sim = s));

describe('counting Atlas calls', () => {
  it('gives each piece of work its own requests, the OAuth token request to the work that fetched it, on one shared client', async () => {
    const atlas = createAtlasClient({ baseUrl: sim.baseUrl, credentials: SERVICE_ACCOUNT, ...noWait });
    const look = () => atlas.request({ method: 'GET', path: snapshots, version: '2023-01-01' });
    const looks = async (n: number) => {
      for (let i = 0; i < n; i++) await look();
    };
    const first = await countAtlasCalls(() => looks(3));
    expect(first.calls).toBe(4); // the token, then three looks
    const [a, b] = await Promise.all([countAtlasCalls(() => looks(2)), countAtlasCalls(() => looks(5))]);
    expect([a.calls, b.calls]).toEqual([2, 5]);
    expect(sim.requests()).toHaveLength(first.calls + a.calls + b.calls);
    expect(sim.requests().filter((r) => r.path === '/api/oauth/token')).toHaveLength(1);
    // Requests outside any counted work are nobody's.
    await look();
    expect(sim.requests()).toHaveLength(first.calls + a.calls + b.calls + 1);
    await atlas.close();
  });
});
