import type { Plan, PointInTimeRule } from './schema.js';
import type { SnapshotChoice } from '../restore/snapshots.js';

/**
 * Which moment a plan restores: a snapshot (chosen by id or as the latest that fits) or a point in
 * time (N minutes before the trigger, or a fixed UTC second). `pointInTime` plans always restore a
 * point in time; `collections` plans restore one when they set `restore.pointInTime` and otherwise
 * a snapshot (the latest by default), the same two ways a cloud plan can.
 */
export type PlanMoment = { pointInTime: PointInTimeRule } | { snapshot: SnapshotChoice };

const LATEST: SnapshotChoice = { by: 'latest' };

export function planMoment(plan: Plan): PlanMoment {
  const r = plan.restore;
  if (r.type === 'pointInTime') return { pointInTime: r.pointInTime };
  if (r.type === 'collections') return r.pointInTime ? { pointInTime: r.pointInTime } : { snapshot: r.snapshot ?? LATEST };
  return { snapshot: r.snapshot };
}

/** The plan's point-in-time rule, or undefined when it restores a snapshot. */
export function planPointInTime(plan: Plan): PointInTimeRule | undefined {
  const moment = planMoment(plan);
  return 'pointInTime' in moment ? moment.pointInTime : undefined;
}

/** The UTC second a plan's rule names, measured from the trigger time for the relative form. */
export function pointInTimeSecondsOf(rule: PointInTimeRule, referenceTime: Date): number {
  if ('utcSeconds' in rule) return rule.utcSeconds;
  return Math.floor(referenceTime.getTime() / 1000) - rule.minutesBeforeTrigger * 60;
}
