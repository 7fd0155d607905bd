import { historyEvents } from '../../../local/runner/historyEvents.js';
import type { TaskHandler } from '../../../local/runner/execute.js';
import type { DeliveryFaultRuleInput } from '../../../local/simulator/alerts/deliveryFaults.js';
import { ALERT_WAIT_STATE, TASK_STATES } from '../../../lib/workflow.js';
import { PROD, scheduled, type WorkflowHarness } from './helpers.js';

/** The simulator's alert deliveries, with these faults; the workflow's waits let them finish before looking again. */
export function simulatorAlerts(h: WorkflowHarness, faults: DeliveryFaultRuleInput[] = []): void {
  h.sim.setFaults({ deliveries: faults });
  h.sim.deliveries.clear();
  h.settle = () => h.sim.deliveries.settled();
}

export interface PushRestoreOptions {
  /** Stands in for the poll task (for example to send an alert at the job's end). */
  poll?: (payload: unknown, real: TaskHandler) => Promise<unknown>;
  /** cloud-refresh (scheduled) by default; another plan is started by hand. */
  planName?: string;
}

/**
 * Runs a plan that restores prod-cluster with a job of `seconds` through the synthesised machine
 * and says how its end was seen: the delay from the job's end to notify, the looks, the alert
 * waits and wakes, the Atlas calls and history events, and the SNS report it sent.
 */
export async function runPushRestore(h: WorkflowHarness, id: string, seconds: number, options: PushRestoreOptions = {}) {
  const planName = options.planName ?? 'cloud-refresh';
  h.sim.scriptOutcome({ cluster: 'prod-cluster', outcome: 'succeed', durationSeconds: seconds });
  h.world.sent.length = 0;
  let seenAt = 0;
  const notify: TaskHandler = async (p) => {
    seenAt = h.sim.clock.now();
    const { handler } = await import('../../../functions/notifyRestore/index.js');
    return handler(p);
  };
  const calledBefore = h.sim.requests().length;
  // cloud-refresh has a schedule; the other plans used here have no trigger of their own.
  const input = planName === 'cloud-refresh' ? scheduled(planName) : { planName, trigger: { type: 'manual' } };
  const result = await h.run(input, id, { notify, ...(options.poll ? { poll: options.poll } : {}) });
  const job = h.sim.jobs({ groupId: PROD, clusterName: 'prod-cluster' }).at(-1)!;
  const ended = Date.parse(job.finishAt!);
  const entered = (name: string) => result.events.filter((e) => e.type === 'StateEntered' && (e as { state?: { name?: string } }).state?.name === name).length;
  const sns = h.world.sent.find((s) => s.channel === 'sns');
  return {
    result,
    report: sns?.report as { alertMissedFrom?: string[]; alertsNotHeardFrom?: string[] } | undefined,
    text: sns?.text ?? '',
    delaySeconds: (seenAt - ended) / 1000,
    ageSeconds: (ended - Date.parse(job.createdAt)) / 1000,
    polls: entered(TASK_STATES.poll),
    alertWaits: entered(ALERT_WAIT_STATE),
    wakes: (result.output as { poll?: { alertWakes?: number } } | undefined)?.poll?.alertWakes ?? 0,
    atlasCalls: h.sim.requests().length - calledBefore,
    historyEvents: historyEvents(result.events),
  };
}
