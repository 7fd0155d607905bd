import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { HoldMinutes, parseHoldDuration } from '../../functions/core/orchestrate/holdDuration.js';
import { holdCaller, HoldTarget, placeHoldAs, releaseHoldAs, type TargetHold, type TargetHolds } from '../../functions/core/orchestrate/holds.js';
import { RestoreRefusedError } from '../../functions/core/domain/errors.js';
import { loadPlansFile } from '../../lib/plans.js';
import { describeCluster, type ClusterRef } from '../../functions/core/plans/guards.js';
import { toFieldProblems } from '../../functions/core/restore/request.js';
import { UsageError } from '../commandLine.js';
import type { Output } from './output.js';

/**
 * `npm run restore -- hold|release|holds`: hold a target locally (the holds file the local `run`
 * reads). `remote hold|release|holds` does the same on a deployed stack through its API.
 */

export interface HoldOptions {
  action: 'hold' | 'release' | 'holds';
  /** `<groupId>/<clusterName>`. */
  target?: string;
  /** `90m`, `4h`, `2d`. */
  for?: string;
  reason?: string;
  /** Who holds it: the OS login name (only the API's own check uses another). */
  by?: string;
  /** The plans file's holdAdministrators: they may release, shorten or replace another's hold. */
  administrators?: readonly string[];
}

/** The plans file's holdAdministrators, or none when there is no plans file. */
export function holdAdministratorsOf(plansFile: string): string[] {
  return existsSync(plansFile) ? (loadPlansFile(plansFile).holdAdministrators ?? []) : [];
}

/** Who runs this command: the login name owns the holds it places. */
const localHolder = (): string => userInfo().username;

/** Thrown for a mistake in the command line: the CLI prints it with the usage (exit 2). */
export class HoldUsageError extends UsageError {
  override name = 'HoldUsageError';
}

export async function runHoldCommand(options: HoldOptions, holds: TargetHolds, out: Output, now: () => Date = () => new Date()): Promise<number> {
  switch (options.action) {
    case 'holds': {
      const all = await holds.list();
      if (!all.length) out.line('No target is held.');
      for (const hold of all) out.line(describeHold(hold));
      return 0;
    }
    case 'hold': {
      const hold = holdFromOptions(options, now());
      const replaced = await refusedSays(out, () => placeHoldAs(holds, hold, holdCaller(localHolder(), options.administrators ?? [])));
      if (replaced === REFUSED) return 1;
      out.line(`Held: ${describeHold(hold)}`);
      if (replaced) out.line(`(replaces the hold of ${replaced.heldBy})`);
      return 0;
    }
    case 'release': {
      const target = parseTarget(options.target);
      const released = await refusedSays(out, () => releaseHoldAs(holds, target, holdCaller(localHolder(), options.administrators ?? [])));
      if (released === REFUSED) return 1;
      if (!released) {
        out.error(`No hold is in force on ${describeCluster(target)}.`);
        return 1;
      }
      out.line(`Released: ${describeHold(released)}`);
      return 0;
    }
  }
}

const REFUSED = Symbol('refused');

/** A hold that is not the caller's: said on stderr (who holds it), exit 1. */
async function refusedSays<T>(out: Output, change: () => Promise<T>): Promise<T | typeof REFUSED> {
  try {
    return await change();
  } catch (err) {
    if (!(err instanceof RestoreRefusedError)) throw err;
    out.error(err.message);
    return REFUSED;
  }
}

export function holdFromOptions(options: HoldOptions, now: Date): TargetHold {
  const target = parseTarget(options.target);
  const minutes = holdMinutes(options.for);
  if (!options.reason?.trim()) throw new HoldUsageError('hold needs --reason "why" (it is shown to whoever is refused)');
  return {
    target,
    heldBy: options.by ?? localHolder(),
    reason: options.reason.trim(),
    since: now.toISOString(),
    until: new Date(now.getTime() + minutes * 60_000).toISOString(),
  };
}

export function holdMinutes(text: string | undefined): number {
  if (!text) throw new HoldUsageError('hold needs --for DURATION, e.g. --for 4h (90m, 2d; at most 30 days)');
  const minutes = HoldMinutes.safeParse(parseHoldDuration(text));
  if (!minutes.success) throw new HoldUsageError(`--for ${text}: must be a duration such as 90m, 4h or 2d, at most 30 days`);
  return minutes.data;
}

/** `65f1…0002/staging-cluster` → the target, or a usage error naming the broken part. */
export function parseTarget(text: string | undefined): ClusterRef {
  if (!text) throw new HoldUsageError('needs --target <groupId>/<clusterName>');
  const slash = text.indexOf('/');
  // Without a slash the text is neither part: say the shape, not that an empty groupId is wrong.
  if (slash < 0) throw new HoldUsageError(`--target ${text}: give it as <groupId>/<clusterName>`);
  const parsed = HoldTarget.safeParse({ groupId: text.slice(0, Math.max(slash, 0)), clusterName: text.slice(slash + 1) });
  if (!parsed.success) throw new HoldUsageError(`--target ${text}: ${toFieldProblems(parsed.error).map((p) => `${p.path} ${p.rule}`).join('; ')}`);
  return parsed.data;
}

function describeHold(hold: Pick<TargetHold, 'target' | 'heldBy' | 'until' | 'reason'>): string {
  return `${describeCluster(hold.target)} held by ${hold.heldBy} until ${hold.until ?? 'released'}: ${hold.reason}`;
}
