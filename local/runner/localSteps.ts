import type { TaskHandler } from './execute.js';

/**
 * Post-restore steps on this machine: the synthesised definition names each step's Lambda function
 * (`Parameters.FunctionName`) or state machine (`Parameters.StateMachineArn`) by the ARN in the
 * plans file; a local function registered under that ARN runs instead, given the same input, and
 * answers as the integration would. A step whose ARN has no local function fails, as a missing
 * function would in AWS, and the restore ends VERIFICATION_FAILED.
 */

/** A local stand-in for a step: gets the step input ({restore, status, steps}), returns its answer or throws. */
export type LocalStep = (input: unknown) => Promise<unknown>;

class LocalStepMissingError extends Error {
  override readonly name = 'LocalStepMissing';
}

interface TaskState {
  Type?: string;
  Resource?: string;
  Parameters?: { FunctionName?: unknown; StateMachineArn?: unknown };
}

export interface StepOverrides {
  /** Lambda steps: handlers given the Payload (execute.ts wraps them as lambda:invoke answers). */
  handlers: Record<string, TaskHandler>;
  /** State machine steps: answer as `startExecution.sync:2` does ({ExecutionArn, Output, Status}). */
  integrations: Record<string, TaskHandler>;
}

export function localStepOverrides(definition: object, steps: Record<string, LocalStep>, ourStates: readonly string[]): StepOverrides {
  const states = (definition as { States?: Record<string, TaskState> }).States ?? {};
  const out: StepOverrides = { handlers: {}, integrations: {} };
  for (const [name, state] of Object.entries(states)) {
    if (state.Type !== 'Task' || ourStates.includes(name)) continue;
    const functionArn = state.Parameters?.FunctionName;
    const machineArn = state.Parameters?.StateMachineArn;
    if (typeof functionArn === 'string') {
      out.handlers[name] = (payload) => stepFor(steps, functionArn)(payload);
    } else if (typeof machineArn === 'string') {
      let runs = 0;
      out.integrations[name] = async (input) => {
        const output = await stepFor(steps, machineArn)((input as { Input?: unknown } | null)?.Input ?? input);
        const executionArn = `${machineArn.replace(':stateMachine:', ':execution:')}:local-${++runs}`;
        return { ExecutionArn: executionArn, Status: 'SUCCEEDED', Output: output ?? null };
      };
    }
  }
  return out;
}

function stepFor(steps: Record<string, LocalStep>, arn: string): LocalStep {
  const step = steps[arn];
  if (step) return step;
  return async () => {
    throw new LocalStepMissingError(`No local function stands in for ${arn} on this machine: register one to run this step locally`);
  };
}
