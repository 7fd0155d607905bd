import type { LocalStep } from '../runner/localSteps.js';

/**
 * The demo's stand-ins for the post-restore steps config/plans.json names, keyed by their ARNs. They
 * touch no data (the simulator holds no documents): they answer what a real step would and let a
 * few simulated minutes pass, so the report shows what a step returned and how long it took. A real
 * verification function is in examples/.
 */

/** The ARN the nightly-staging plan names for its masking step (an example account). */
const MASKING_STEP_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:mask-staging-personal-data';

export function demoSteps(clock: { advance(ms: number): void }): Record<string, LocalStep> {
  return {
    [MASKING_STEP_ARN]: async (input) => {
      const target = (input as { restore?: { request?: { target?: { clusterName?: string } } } }).restore?.request?.target?.clusterName;
      clock.advance(4 * 60_000); // a masking job on a small staging copy: a few minutes
      return { target, maskedFields: ['users.email', 'users.phone', 'orders.shippingAddress'], documentsMasked: 18_240 };
    },
  };
}
