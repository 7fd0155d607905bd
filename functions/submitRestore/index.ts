import { SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { ApiDeps, RestoreActions } from '../core/api/deps.js';
import { errorResponse, type ApiResponse } from '../core/api/responses.js';
import { handleApiRequest } from '../core/api/routes.js';
import { ENV } from '../core/domain/observability.js';
import { dynamoGuardTable } from '../runtime/guardTable.js';
import { guardStores } from '../runtime/guards.js';
import { restoreHistory } from '../runtime/history.js';
import { loadPlansConfig } from '../runtime/plans.js';
import { powertools } from '../runtime/powertools.js';

/**
 * The HTTP API's Lambda (API Gateway REST, IAM auth, proxy integration). Thin: builds its
 * dependencies once per container and hands every request to the API core.
 *
 * Only a dry run and a cancel need Atlas: the orchestration (Atlas client, credentials, restore
 * kinds) is evaluated on first use. In the one-file bundle CDK builds, esbuild keeps that code lazy
 * but hoists the external SDK imports it makes (Secrets Manager, DynamoDB) to the top, so those
 * clients still load with every cold start (about 15-20 ms, measured by `npm run bench`'s method).
 */

const { logger, stepMetrics } = powertools();
const sfn = new SFNClient({});

const orchestration = (() => {
  let loaded: Promise<RestoreActions> | undefined;
  return () => (loaded ??= import('./orchestration.js').then((m) => m.restoreActions()));
})();

const actions: RestoreActions = {
  dryRun: async (input, restoreId) => (await orchestration()).dryRun(input, restoreId),
  cancel: async (state) => (await orchestration()).cancel(state),
  createSentAt: async (restoreId) => (await orchestration()).createSentAt(restoreId),
};

let deps: ApiDeps | undefined;

function buildDeps(): ApiDeps {
  const stateMachineArn = process.env[ENV.stateMachineArn];
  if (!stateMachineArn) throw new Error(`${ENV.stateMachineArn} is not set`);
  // Holds only in the lock table: lib/ lets this function write `hold#` items and nothing else.
  const holds = async () => (await guardStores(dynamoGuardTable)).holds;
  // The history table through its byPlan index only (lib/history-table.ts grantListing).
  const history = () => restoreHistory();
  const runs = async () => (await guardStores(dynamoGuardTable)).runs;
  return { sfn, stateMachineArn, plans: loadPlansConfig(), actions, logger, holds, runs, history, metrics: stepMetrics };
}

export const handler = async (event: APIGatewayProxyEvent, context: Context): Promise<ApiResponse> => {
  logger.addContext(context);
  try {
    deps ??= buildDeps();
  } catch (err) {
    // A deployment mistake (missing variable, bad plans): still a JSON answer, details in the log.
    return errorResponse(err, event.requestContext?.requestId ?? context.awsRequestId, logger);
  }
  return handleApiRequest(event, deps);
};
