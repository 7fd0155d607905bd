import type { SFNClient } from '@aws-sdk/client-sfn';
import type { RestoreHistory } from '../history/store.js';
import type { StepMetrics } from '../orchestrate/deps.js';
import type { TargetHolds } from '../orchestrate/holds.js';
import type { RunRecords } from '../orchestrate/runRecords.js';
import type { PlansConfig } from '../plans/schema.js';
import type { ExecutionInput, WorkflowState } from '../workflow/contract.js';
import type { DryRunDetails } from './answers.js';
import type { ErrorLogger } from './responses.js';

/**
 * What the API needs from the restore orchestration, as a port: the Lambda wires it to
 * ../orchestrate, the tests to fakes. Each method throws the typed errors of ../errors.ts.
 */
export interface RestoreActions {
  /** Resolve and check without creating anything; the answer is shown to the caller as is. */
  dryRun(input: ExecutionInput & { dryRun: true }, restoreId: string): Promise<DryRunDetails>;
  /** Cancel the Atlas job behind a running workflow (only where Atlas allows it). */
  cancel(state: WorkflowState): Promise<void>;
  /** When this restore's create step sent a POST to Atlas, if it did (recorded beside the locks). */
  createSentAt(restoreId: string): Promise<Date | undefined>;
}

interface ApiLogger extends ErrorLogger {
  info(message: string, ...extra: unknown[]): void;
}

export interface ApiDeps {
  sfn: SFNClient;
  stateMachineArn: string;
  plans: PlansConfig;
  actions: RestoreActions;
  logger: ApiLogger;
  /** The holds store, opened on first use (only the holds routes and GET /restores/{id} read it). */
  holds(): Promise<TargetHolds>;
  /** Plans' and targets' last starts (cooldowns), opened on first use (POST /restores reads it). */
  runs?(): Promise<RunRecords>;
  /** The restore history, opened on first use (only GET /restores reads it). */
  history(): Promise<RestoreHistory>;
  metrics?: StepMetrics;
  now?: () => Date;
  /** Restore id when the caller gives no Idempotency-Key. */
  newRestoreId?: () => string;
}
