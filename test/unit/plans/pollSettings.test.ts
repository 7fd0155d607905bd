import { describe, expect, it } from 'vitest';
import { validatePlansConfig } from '../../../lib/plans.js';

/** A plan's `poll` settings: the defaults, the bounds, and the messages that name the setting. */

const PROD = '65f1a0000000000000000001';
const STAGING = '65f1a0000000000000000002';

function config(poll?: unknown) {
  return {
    protectedTargets: [{ groupId: PROD, clusters: ['prod-*'] }],
    plans: [
      {
        name: 'nightly',
        source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
        restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-cluster' } },
        ...(poll === undefined ? {} : { poll }),
      },
    ],
  };
}

const pollOf = (poll?: unknown) => validatePlansConfig(config(poll), 'plans.json').plans[0]!.poll;

const refusal = (poll: unknown): string => {
  try {
    validatePlansConfig(config(poll), 'plans.json');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the plan to be refused');
};

describe('plan poll settings', () => {
  it('a plan without poll settings gets a 30 s floor and a one-hour cap', () => {
    expect(pollOf()).toEqual({ floorSeconds: 30, capSeconds: 3600 });
    expect(pollOf({})).toEqual({ floorSeconds: 30, capSeconds: 3600 });
    expect(pollOf({ floorSeconds: 10 })).toEqual({ floorSeconds: 10, capSeconds: 3600 });
  });

  it("keeps a plan's own floor and cap, up to a one-hour cap", () => {
    expect(pollOf({ floorSeconds: 15, capSeconds: 300 })).toEqual({ floorSeconds: 15, capSeconds: 300 });
    expect(pollOf({ floorSeconds: 5, capSeconds: 3600 })).toEqual({ floorSeconds: 5, capSeconds: 3600 });
    expect(pollOf({ floorSeconds: 300, capSeconds: 300 })).toEqual({ floorSeconds: 300, capSeconds: 300 });
  });

  it('refuses settings out of bounds, naming the plan and the setting', () => {
    expect(refusal({ capSeconds: 3601 })).toMatch(/^Invalid plans config \(plans\.json\): plan "nightly" poll\.capSeconds: /);
    expect(refusal({ capSeconds: 29 })).toContain('poll.capSeconds');
    expect(refusal({ floorSeconds: 4 })).toContain('poll.floorSeconds');
    expect(refusal({ floorSeconds: 301, capSeconds: 3600 })).toContain('poll.floorSeconds');
    expect(refusal({ floorSeconds: 2.5 })).toContain('poll.floorSeconds');
    expect(refusal({ floorSeconds: 120, capSeconds: 60 })).toContain('poll.capSeconds: capSeconds must be at least floorSeconds');
    expect(refusal({ floorSeconds: 30, intervalSeconds: 60 })).toContain('poll');
  });
});
