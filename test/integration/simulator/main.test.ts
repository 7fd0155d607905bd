import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWorld } from '../../../local/simulator/index.js';
import { digestCall } from './helpers.js';

/** The standalone simulator: `npx tsx local/simulator/main.ts`, base URL on the first stdout line. */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const worldFile = fileURLToPath(new URL('../../../local/simulator/worlds/default.json', import.meta.url));
let child: ChildProcessWithoutNullStreams | undefined;

afterEach(() => {
  if (child && child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  child = undefined;
});

describe('standalone simulator', () => {
  it('prints its base URL first, serves the default world, logs requests to stderr and stops on SIGTERM', async () => {
    // Its own process group, so the signal reaches tsx and node behind npx.
    child = spawn('npx', ['tsx', 'local/simulator/main.ts', '--port', '0', '--scale', '60'], { cwd: root, detached: true });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const lines = createInterface({ input: child.stdout });
    const [first] = (await once(lines, 'line')) as [string];
    expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const world = parseWorld(JSON.parse(await readFile(worldFile, 'utf8')));
    const key = world.credentials.apiKeys[0];
    const prod = world.projects.find((p) => p.name === 'prod');
    if (!key || !prod) throw new Error('default world lost its admin key or prod project');
    const answer = await digestCall(first, { user: key.publicKey, pass: key.privateKey }, 'GET', `/api/atlas/v2/groups/${prod.id}/clusters/prod-cluster`);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ name: 'prod-cluster', groupId: prod.id });

    // stderr closes only when every process holding it (npx, tsx, the simulator) has exited.
    const closed = once(child.stderr, 'close');
    process.kill(-(child.pid as number), 'SIGTERM');
    await closed;
    expect(stderr).toContain('SIGTERM: stopping');
    expect(stderr).toContain(`GET /api/atlas/v2/groups/${prod.id}/clusters/prod-cluster → 200 [getCluster] digest:${key.publicKey}`);
    expect(stderr).not.toContain(key.privateKey);
  });
});
