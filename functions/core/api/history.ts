import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod';
import { readSince, SINCE_RULE } from '../history/since.js';
import { summarize, summaryLine } from '../history/summary.js';
import { PlanName } from '../plans/schema.js';
import type { ApiDeps } from './deps.js';
import { answer, HistoryAnswer } from './answers.js';
import { zodValidationError, type ApiResponse } from './responses.js';

/**
 * `GET /restores?plan=NAME&since=90d&limit=N`: a plan's restore history (functions/core/history/)
 * and the auditor summary over it. The table is read per plan (its byPlan index), so `plan` is
 * required; a plan no longer in the plans file is still answered, its records are the evidence.
 * `limit` bounds the records in the answer (the newest ones; a Lambda answer is at most 6 MB); the
 * summary always covers the whole window, and `truncated` says how many records were left out.
 */

export const HISTORY_QUERY = ['plan', 'since', 'limit'] as const;
const MAX_HISTORY_LIMIT = 1000;

const HistoryQuery = z
  .object({
    plan: z.string({ error: 'is required: the history is listed per plan' }).pipe(PlanName),
    since: z.string().optional(),
    limit: z
      .string()
      .regex(/^\d{1,4}$/, `must be a whole number from 1 to ${MAX_HISTORY_LIMIT}`)
      .transform(Number)
      .pipe(z.number().int().min(1, `must be a whole number from 1 to ${MAX_HISTORY_LIMIT}`).max(MAX_HISTORY_LIMIT, `must be a whole number from 1 to ${MAX_HISTORY_LIMIT}`))
      .optional(),
  })
  .strict();

export async function listRestores(event: APIGatewayProxyEvent, deps: ApiDeps): Promise<ApiResponse> {
  const now = deps.now?.() ?? new Date();
  const parsed = HistoryQuery.superRefine((q, ctx) => {
    if (readSince(q.since, now) === undefined) ctx.addIssue({ code: 'custom', path: ['since'], message: SINCE_RULE });
  }).safeParse({ ...(event.queryStringParameters ?? {}) });
  if (!parsed.success) throw zodValidationError(parsed.error, 'query');
  const { plan, limit = MAX_HISTORY_LIMIT } = parsed.data;
  const since = readSince(parsed.data.since, now)!;
  const records = await (await deps.history()).list({ plan, since });
  const summary = summarize(records);
  const shown = records.slice(-limit);
  return answer(HistoryAnswer, 200, {
    plan,
    since: since.toISOString(),
    summary,
    summaryLine: summaryLine(summary),
    records: shown,
    ...(shown.length < records.length ? { truncated: { total: records.length, shown: shown.length } } : {}),
  });
}
