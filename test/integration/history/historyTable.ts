import { HISTORY_BY_PLAN_INDEX, HISTORY_KEY, HISTORY_PLAN, HISTORY_STARTED } from '../../../functions/core/history/names.js';
import { useDynaliteTable } from '../dynamo/dynalite.js';

/** The history table as lib/history-table.ts makes it (key, byPlan index), on dynalite for one test file. */
const HISTORY_TABLE = 'history';

export function useHistoryTable(): ReturnType<typeof useDynaliteTable> {
  return useDynaliteTable({
    TableName: HISTORY_TABLE,
    KeySchema: [{ AttributeName: HISTORY_KEY, KeyType: 'HASH' }],
    AttributeDefinitions: [
      { AttributeName: HISTORY_KEY, AttributeType: 'S' },
      { AttributeName: HISTORY_PLAN, AttributeType: 'S' },
      { AttributeName: HISTORY_STARTED, AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: HISTORY_BY_PLAN_INDEX,
        KeySchema: [
          { AttributeName: HISTORY_PLAN, KeyType: 'HASH' },
          { AttributeName: HISTORY_STARTED, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  });
}
