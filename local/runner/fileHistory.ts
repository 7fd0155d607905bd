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

const FileContent = z.object({ records: z.array(RestoreRecord) });

export class FileRestoreHistory implements RestoreHistory {
  constructor(private readonly file: string) {}

  async record(r: RestoreRecord): Promise<boolean> {
    const records = this.load();
    if (records.some((x) => x.restoreId === r.restoreId)) return false;
    records.push(r);
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify({ records }, null, 2)}\n`);
    return true;
  }

  async list(filter: { plan?: string; since?: Date }): Promise<RestoreRecord[]> {
    return filterRecords(this.load(), filter);
  }

  private load(): RestoreRecord[] {
    // Moved aside, not deleted: the records in it may still be wanted (and mended by hand).
    const content = readJsonFile(this.file, 'restore history file', FileContent, `move it aside (e.g. mv ${this.file} ${this.file}.broken) and run again to start a new one`);
    return content?.records ?? [];
  }
}
