import { describe, expect, it } from 'vitest';
import { atlasKind, describeAtlasTarget } from '../../../local/commands/atlasTarget.js';

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
