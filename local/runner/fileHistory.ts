import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import { RestoreRecord } from '../../functions/core/history/record.js';
import { filterRecords, type RestoreHistory } from '../../functions/core/history/store.js';
import { readJsonFile } from './localFile.js';

/**
 * The restore history of local runs, in a JSON file (each CLI command is its own process), so
 * `history` lists what `run` and the demo did. Same rule as the table: one record per restore id.
 */

/** Beside the holds, out of git (.gitignore). */
export const DEFAULT_HISTORY_FILE = '.atlas-restore/history.json';

/**
 * Which Atlas a local run went to. Runs against a simulator whose clock runs 600 times faster are
 * not comparable with real ones (a 34 s run reads as 6 h 34 min of simulated time), so each record
 * says where it came from and `history` summarises each Atlas apart (../commands/history.ts).
 */
export const AtlasOrigin = z.object({
  /** The base URL's host and port. */
  host: z.string(),
  simulator: z.boolean(),
  /** Simulated seconds per real second, when the simulator said (its clock's scale; 0 for a manual clock). */
  scale: z.number().optional(),
});
export type AtlasOrigin = z.infer<typeof AtlasOrigin>;

export const LocalRecord = RestoreRecord.extend({ atlas: AtlasOrigin.optional() });
export type LocalRecord = z.infer<typeof LocalRecord>;

const FileContent = z.object({ records: z.array(LocalRecord) });

export class FileRestoreHistory implements RestoreHistory {
  /** `atlas`: where the runs this process records went (absent: only reading, or not known). */
  constructor(
    private readonly file: string,
    private readonly atlas?: AtlasOrigin,
  ) {}

  async record(r: RestoreRecord): Promise<boolean> {
    const records = this.load();
    if (records.some((x) => x.restoreId === r.restoreId)) return false;
    records.push({ ...r, ...(this.atlas ? { atlas: this.atlas } : {}) });
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify({ records }, null, 2)}\n`);
    return true;
  }

  async list(filter: { plan?: string; since?: Date }): Promise<LocalRecord[]> {
    return filterRecords(this.load(), filter);
  }

  private load(): LocalRecord[] {
    // Moved aside, not deleted: the records in it may still be wanted (and mended by hand).
    const content = readJsonFile(this.file, 'restore history file', FileContent, `move it aside (e.g. mv ${this.file} ${this.file}.broken) and run again to start a new one`);
    return content?.records ?? [];
  }
}
