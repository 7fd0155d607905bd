import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/config-error.js';
import { validatePlansConfig } from '../../../lib/plans.js';
import { SEED, badClusterName, badObjectId, unknownKey } from '../../adversarial/arbitraries.js';

/**
 * The plans file under generated mistakes (fixed seed): each stops synth with an Error that names
 * the file and the setting, never a TypeError and never a config that parses.
 */

const PROD = '65f1a0000000000000000001';
const STAGING = '65f1a0000000000000000002';

const valid = () => ({
  protectedTargets: [{ groupId: PROD, clusters: ['prod-*'] }],
  plans: [
    {
      name: 'nightly',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-cluster' } },
      notify: { sns: true, downloadLinks: ['sns'] },
      triggers: { http: true, alarms: [] },
      deadlineMinutes: 60,
      poll: { floorSeconds: 15, capSeconds: 300 },
    },
    {
      name: 'flex',
      source: { kind: 'flex', groupId: STAGING, clusterName: 'flex-dev' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'flex-target' } },
    },
  ],
  adHoc: {
    restores: [{ kinds: ['cloud'], sources: [{ groupId: PROD, clusters: ['prod-cluster'] }], targets: [{ groupId: STAGING, clusters: ['scratch-*'] }] }],
    downloads: [],
  },
});

type Path = (string | number)[];

/** Sets `value` at `path` as an own property (so `__proto__` is a key, not the prototype). */
function setAt(root: Record<string, any>, path: Path, value: unknown): void {
  let node: any = root;
  for (const key of path.slice(0, -1)) node = node[key];
  Object.defineProperty(node, path[path.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
}

const NAME_PATHS: Path[] = [
  ['plans', 0, 'source', 'clusterName'],
  ['plans', 0, 'restore', 'target', 'clusterName'],
  ['plans', 1, 'source', 'clusterName'],
  ['plans', 1, 'restore', 'target', 'clusterName'],
];
const PATTERN_PATHS: Path[] = [
  ['protectedTargets', 0, 'clusters', 0],
  ['adHoc', 'restores', 0, 'sources', 0, 'clusters', 0],
  ['adHoc', 'restores', 0, 'targets', 0, 'clusters', 0],
];
const ID_PATHS: Path[] = [
  ['protectedTargets', 0, 'groupId'],
  ['plans', 0, 'source', 'groupId'],
  ['plans', 0, 'restore', 'target', 'groupId'],
  ['adHoc', 'restores', 0, 'targets', 0, 'groupId'],
];
const OBJECT_PATHS: [Path, string[]][] = [
  [[], ['protectedTargets', 'plans', 'adHoc']],
  [['plans', 0], ['name', 'source', 'restore', 'notify', 'triggers', 'deadlineMinutes', 'poll', 'description', 'allowRestoreOntoSource', 'allowOverrides']],
  [['plans', 0, 'source'], ['kind', 'groupId', 'clusterName']],
  [['plans', 0, 'restore'], ['type', 'snapshot', 'target']],
  [['plans', 0, 'triggers'], ['http', 'schedule', 'alarms', 'manual']],
  [['plans', 0, 'notify'], ['sns', 'eventBridge', 'webhook', 'downloadLinks']],
  [['adHoc'], ['restores', 'downloads']],
  [['adHoc', 'restores', 0], ['kinds', 'sources', 'targets', 'triggers']],
];

interface Mistake {
  path: Path;
  value: unknown;
  /** Where the message must point (a setting name as the user wrote it). */
  mentions: string;
}

const mistake: fc.Arbitrary<Mistake> = fc.oneof(
  fc.tuple(fc.constantFrom(...NAME_PATHS), badClusterName).map(([path, value]) => ({ path, value, mentions: 'clusterName' })),
  fc
    .tuple(fc.constantFrom(...PATTERN_PATHS), badClusterName.filter((v) => !/^[a-zA-Z0-9*][a-zA-Z0-9*-]{0,63}$/.test(v)))
    .map(([path, value]) => ({ path, value, mentions: 'clusters' })),
  fc.tuple(fc.constantFrom(...ID_PATHS), badObjectId).map(([path, value]) => ({ path, value, mentions: 'groupId' })),
  fc
    .constantFrom(...OBJECT_PATHS)
    .chain(([path, known]) => unknownKey(known).map((key) => ({ path: [...path, key], value: true, mentions: 'has an unknown field' }))),
  fc.constantFrom(0, 4, -5, 1.5, 100_000_000, '60', null).map((value) => ({ path: ['plans', 0, 'deadlineMinutes'], value, mentions: 'deadlineMinutes' })),
  fc.constantFrom(0, 4000, 2.5, -1).map((value) => ({ path: ['plans', 0, 'poll', 'floorSeconds'], value, mentions: 'poll.floorSeconds' })),
  fc.constantFrom('serverless', 'Cloud', 'cloud ', '', 'cl\u043Eud').map((value) => ({ path: ['adHoc', 'restores', 0, 'kinds', 0], value, mentions: 'kinds' })),
  fc.constantFrom('schedule', 'alarm', 'HTTP', 'manual ').map((value) => ({ path: ['adHoc', 'restores', 0, 'triggers'], value: [value], mentions: 'triggers' })),
  fc.constantFrom('email', 'SNS', 'webhook:slack').map((value) => ({ path: ['plans', 0, 'notify', 'downloadLinks'], value: [value], mentions: 'downloadLinks' })),
  // The target is the source in another ASCII case: refused at synth exactly as at run time.
  fc
    .array(fc.boolean(), { minLength: 12, maxLength: 12 })
    .map((upper) => 'prod-cluster'.split('').map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''))
    .map((clusterName) => ({ path: ['plans', 0, 'restore', 'target'], value: { groupId: PROD, clusterName }, mentions: 'is the source cluster' })),
);

describe('the plans file under generated mistakes', () => {
  it('the untouched file is valid (so every failure below is the mistake)', () => {
    expect(() => validatePlansConfig(valid())).not.toThrow();
  });

  it('every mistake stops synth with a message naming the file and the setting', () => {
    fc.assert(
      fc.property(mistake, ({ path, value, mentions }) => {
        const cfg = valid();
        setAt(cfg, path, value);
        let error: unknown;
        try {
          validatePlansConfig(cfg, 'config/plans.json');
        } catch (err) {
          error = err;
        }
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).constructor).toBe(ConfigError); // bin/app.ts prints it as one line and exits 2
        const message = (error as Error).message;
        expect(message.startsWith('Invalid plans config (config/plans.json): ')).toBe(true);
        expect(message).toContain(mentions);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
