import { describe, expect, it } from 'vitest';
import { executeWorkflow } from '../../../local/runner/execute.js';

/** One Task without TimeoutSeconds, as every Task in our workflow: Lambda's own timeout bounds it in AWS. */
const definition = {
  StartAt: 'Work',
  States: { Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'Payload.$': '$' }, End: true } },
};

describe('local task timeout', () => {
  it('is the one the runner states, written into the definition, not the executor implied 60 s', async () => {
    const outcome = await executeWorkflow({
      definition,
      input: {},
      executionName: 'hangs',
      handlers: { Work: () => new Promise(() => undefined) },
      taskTimeoutSeconds: 1,
    });
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });

  it('refuses a timeout that is not a whole number of seconds', async () => {
    await expect(
      executeWorkflow({ definition, input: {}, executionName: 'bad', handlers: { Work: async () => ({}) }, taskTimeoutSeconds: 0.5 }),
    ).rejects.toThrow(/taskTimeoutSeconds must be a whole number/);
  });
});
