import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { atlasKind, describeAtlasTarget, localConnection, refuseIfNobodyAnswers } from '../../../local/commands/atlasTarget.js';

describe('how a run names the Atlas it talks to', () => {
  it.each([
    ['http://127.0.0.1:8090', 'the local simulator'],
    ['http://127.1.2.3:8090', 'the local simulator'],
    ['http://localhost:8090', 'the local simulator'],
    ['http://[::1]:8090', 'the local simulator'],
    ['https://cloud.mongodb.com', 'Atlas'],
    ['https://cloud.mongodbgov.com', 'Atlas'],
    ['http://127.0.0.1.example.com', 'Atlas'],
    ['http://10.0.0.5:8090', 'Atlas'],
  ])('%s is %s', (url, kind) => {
    expect(atlasKind(url)).toBe(kind);
  });

  it('says where the URL came from, and what it overrode', () => {
    expect(describeAtlasTarget({ baseUrl: 'https://cloud.mongodb.com', from: 'default', ignored: [] })).toBe(
      'Atlas at https://cloud.mongodb.com (the default: neither MONGODB_ATLAS_OPS_MANAGER_URL nor MONGODB_ATLAS_BASE_URL is set)',
    );
    expect(
      describeAtlasTarget({ baseUrl: 'http://127.0.0.1:8090', from: 'MONGODB_ATLAS_OPS_MANAGER_URL', ignored: ['MONGODB_ATLAS_BASE_URL'] }),
    ).toBe('the local simulator at http://127.0.0.1:8090 (from MONGODB_ATLAS_OPS_MANAGER_URL; MONGODB_ATLAS_BASE_URL ignored)');
  });
});

describe('before a local command calls Atlas', () => {
  it('says at once, in one line, when nothing listens where the URL points (a mistyped simulator port)', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    // Something answers: no complaint.
    await expect(refuseIfNobodyAnswers({ baseUrl: `http://127.0.0.1:${port}`, from: 'MONGODB_ATLAS_BASE_URL', ignored: [] })).resolves.toBeUndefined();
    await new Promise<void>((r) => server.close(() => r()));
    const error = await refuseIfNobodyAnswers({ baseUrl: `http://127.0.0.1:${port}`, from: 'MONGODB_ATLAS_BASE_URL', ignored: [] }).catch((e: Error) => e);
    expect(error?.name).toBe('UsageError');
    expect(error?.message).toBe(
      `MONGODB_ATLAS_BASE_URL=http://127.0.0.1:${port}: nothing answers at 127.0.0.1:${port} (ECONNREFUSED); start the simulator there (npm run simulator -- --port ${port}) or fix the port`,
    );
  });

  it('names the variables and the simulator keys when the credentials are missing', () => {
    const saved = { ...process.env };
    try {
      for (const k of Object.keys(process.env)) if (k.startsWith('MONGODB_ATLAS_')) delete process.env[k];
      expect(() => localConnection({ baseUrl: 'http://127.0.0.1:8090', from: 'MONGODB_ATLAS_BASE_URL', ignored: [] })).toThrow(
        /MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY.*the simulator takes MONGODB_ATLAS_PUBLIC_API_KEY=simadmin MONGODB_ATLAS_PRIVATE_API_KEY=5f0c7d2e-0000-4000-8000-00000000a001/,
      );
    } finally {
      process.env = saved;
    }
    // The keys said are the simulator's default world's admin key, not a copy that could drift.
    const world = JSON.parse(readFileSync(new URL('../../../local/simulator/worlds/default.json', import.meta.url), 'utf8')) as { apiKeys?: { publicKey: string; privateKey: string }[] };
    const text = JSON.stringify(world);
    expect(text).toContain('"publicKey":"simadmin","privateKey":"5f0c7d2e-0000-4000-8000-00000000a001"');
  });
});
