import { HistoryAnswer } from '../../functions/core/history/answer.js';
import type { RestoreRecord } from '../../functions/core/history/record.js';
import type { RestoreHistory } from '../../functions/core/history/store.js';
import { HistoryUsageError } from '../commands/history.js';
import type { SignedApi } from './signedApi.js';

/**
 * A deployed stack's restore history, read through `GET /restores` (SigV4), so that
 * `history --api URL` prints it exactly as `history` prints a local one. Read only: the stack's
 * notify step writes the records.
 */

export class ApiRestoreHistory implements RestoreHistory {
  constructor(private readonly api: Pick<SignedApi, 'listRestores'>) {}

  async record(): Promise<boolean> {
    throw new Error("A deployed stack's history is written by its notify step, not through the API");
  }

  async list(filter: { plan?: string; since?: Date }): Promise<RestoreRecord[]> {
    // Checked before anything is signed and sent: the stack lists its history per plan.
    if (!filter.plan) throw new HistoryUsageError('history --api needs --plan: a deployed stack lists its restore history one plan at a time (see npm run restore -- history --help)');
    const answer = await this.api.listRestores({ plan: filter.plan, ...(filter.since ? { since: filter.since.toISOString() } : {}) });
    // Only what this side uses: the summary is computed here again from the records.
    const parsed = HistoryAnswer.pick({ records: true, truncated: true }).safeParse(answer.body);
    if (!parsed.success) throw new Error(`The API's answer to GET /restores is not a restore history: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}`);
    // The summary is computed here from the records: a partial list would give a wrong one.
    const cut = parsed.data.truncated;
    if (cut) throw new HistoryUsageError(`plan ${filter.plan} has ${cut.total} restores in this window, more than the API answers at once (${cut.shown}): give a shorter --since`);
    return parsed.data.records;
  }
}
