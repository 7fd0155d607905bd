import { describe, expect, it } from 'vitest';
import { OUTCOME_STATES } from '../../../lib/workflow.js';
import { ATTACK_PLANS, ATTEMPTS, executionInputOf } from '../../adversarial/wrongTargets.js';
import { useWorkflowHarness } from './helpers.js';

/**
 * Every wrong-target attempt as an execution input, through the whole workflow (the synthesised
 * state machine, the real handlers, the simulator as Atlas): each ends refused or failed with one
 * report, and Atlas was never called.
 */

const h = useWorkflowHarness(ATTACK_PLANS);

const WHY: Record<string, RegExp> = {
  PROTECTED_TARGET: /is a protected target/,
  SOURCE_IS_TARGET: /onto itself/,
  AD_HOC_NOT_ALLOWED: /Refusing this ad-hoc request/,
  TRIGGER_NOT_ALLOWED: /Plan "[^"]+" (cannot|has no|does not list|was started by an alarm)/,
};

describe('wrong targets through the workflow', () => {
  it('covers enough attempts', () => {
    expect(ATTEMPTS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(ATTEMPTS.map((a, i) => [a.name, a, i] as const))('%s: refused before any Atlas call', async (_name, attempt, i) => {
    h.sim.clearRequests();
    const result = await h.run(executionInputOf(attempt), `wrong-target-${i}`);
    expect(h.sim.requests()).toEqual([]);
    const reports = h.world.sent.filter((s) => s.channel === 'sns');
    expect(reports).toHaveLength(1);
    const report = reports[0]!.report!;
    if (attempt.refusedBy === 'invalid' || attempt.refusedBy === 'not-found') {
      expect(result.error).toBe(OUTCOME_STATES.FAILED.state);
      expect(report.reason).toMatch(attempt.reason ?? (attempt.refusedBy === 'invalid' ? /RestoreRequestInvalid/ : /RestorePlanNotFound/));
    } else {
      expect(result.error).toBe(OUTCOME_STATES.REFUSED.state);
      expect(report.outcome).toBe('REFUSED');
      expect(report.reason).toMatch(/RestoreRefused/);
      expect(report.reason).toMatch(WHY[attempt.refusedBy]!);
    }
  });
});
