import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import { cooldownError, type PlanRun, type RunRecords, type TriggerClaim } from '../../functions/core/orchestrate/runRecords.js';
import { readJsonFile } from './localFile.js';

/**
 * The local runner's run records (plans' and targets' last starts, trigger events taken), kept in a
 * JSON file beside the local holds file, so that a cooldown holds between CLI runs (each command is
 * its own process): `run --plan p --yes` three times in two minutes is one restore, not three.
 * Same rules as every store: a record past its end counts as none, and is not written back.
 */

/** `runs.json` in the holds file's folder (.atlas-restore/ by default, out of git). */
export const runsFileBeside = (holdsFile: string): string => join(dirname(holdsFile), 'runs.json');

const Stored = z
  .object({
    triggers: z.record(z.string(), z.object({ restoreId: z.string(), until: z.string() })),
    plans: z.record(z.string(), z.object({ restoreId: z.string(), startedAt: z.string(), cooldownUntil: z.string() })),
  })
  .strict();
type Stored = z.infer<typeof Stored>;

export class FileRunRecords implements RunRecords {
  constructor(
    private readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async claimTrigger(key: string, restoreId: string, until: Date): Promise<TriggerClaim> {
    const stored = this.load();
    const taken = stored.triggers[key];
    if (taken && Date.parse(taken.until) > this.now().getTime() && taken.restoreId !== restoreId) return { first: false, restoreId: taken.restoreId };
    stored.triggers[key] = { restoreId, until: until.toISOString() };
    this.save(stored);
    return { first: true, restoreId };
  }

  async startPlanRun(planName: string, restoreId: string, cooldownMinutes: number): Promise<void> {
    const stored = this.load();
    const last = stored.plans[planName];
    if (last && last.restoreId !== restoreId) throw cooldownError(planName, last);
    const now = this.now();
    stored.plans[planName] = { restoreId, startedAt: now.toISOString(), cooldownUntil: new Date(now.getTime() + cooldownMinutes * 60_000).toISOString() };
    this.save(stored);
  }

  async lastPlanRun(planName: string): Promise<PlanRun | undefined> {
    return this.load().plans[planName];
  }

  /** Only records still in force. */
  private load(): Stored {
    const stored = readJsonFile(this.file, 'run records file', Stored, `move it aside (e.g. mv ${this.file} ${this.file}.broken); cooldowns then start afresh`) ?? { triggers: {}, plans: {} };
    const now = this.now().getTime();
    return {
      triggers: Object.fromEntries(Object.entries(stored.triggers).filter(([, t]) => Date.parse(t.until) > now)),
      plans: Object.fromEntries(Object.entries(stored.plans).filter(([, p]) => Date.parse(p.cooldownUntil) > now)),
    };
  }

  private save(stored: Stored): void {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(stored, null, 2)}\n`);
  }
}
