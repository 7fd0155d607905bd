import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import { holdKey, MemoryTargetHolds, TargetHold, type HoldCondition } from '../../functions/core/orchestrate/holds.js';
import type { ClusterRef } from '../../functions/core/plans/guards.js';
import { readJsonFile } from './localFile.js';

/**
 * The local runner's holds, kept in a JSON file so that `hold` in one command stops `run` in the
 * next (each CLI command is its own process). Same rules as every store: expired holds count as none.
 */

/** Beside the plans, out of git (.gitignore). */
export const DEFAULT_HOLDS_FILE = '.atlas-restore/holds.json';

export class FileTargetHolds extends MemoryTargetHolds {
  constructor(
    private readonly file: string,
    now: () => Date = () => new Date(),
  ) {
    super(now);
  }

  override async place(hold: TargetHold, condition?: HoldCondition): Promise<TargetHold | undefined> {
    this.load();
    const replaced = await super.place(hold, condition);
    await this.save();
    return replaced;
  }

  override async release(target: ClusterRef, condition?: HoldCondition): Promise<TargetHold | undefined> {
    this.load();
    const released = await super.release(target, condition);
    await this.save();
    return released;
  }

  override async current(target: ClusterRef): Promise<TargetHold | undefined> {
    this.load();
    return super.current(target);
  }

  override async list(): Promise<TargetHold[]> {
    this.load();
    return super.list();
  }

  private load(): void {
    this.held.clear();
    const holds = readJsonFile(this.file, 'holds file', z.array(TargetHold), `move it aside (e.g. mv ${this.file} ${this.file}.broken) and hold the targets again`);
    for (const hold of holds ?? []) this.held.set(holdKey(hold.target), hold);
  }

  /** Only holds in force are written back: expired ones go away on their own. */
  private async save(): Promise<void> {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(await super.list(), null, 2)}\n`);
  }
}
