import { createInterface } from 'node:readline/promises';
import { baseUrlFromEnv } from '../../functions/core/atlas/baseUrl.js';
import { MemoryDeliveryLedger } from '../../functions/core/notify/ledger.js';
import { printedChannels } from './printedChannels.js';
import { webhookUrlFromSecret } from '../../functions/core/notify/channels/webhook.js';
import { MemoryTargetLocks } from '../../functions/core/orchestrate/locks.js';
import { useLocalEnvironment } from '../../functions/runtime/environment.js';
import { DEFAULT_HISTORY_FILE, FileRestoreHistory } from '../runner/fileHistory.js';
import { loadPlansFile } from '../../lib/plans.js';
import { FileTargetHolds } from '../runner/fileHolds.js';
import { FileRunRecords, runsFileBeside } from '../runner/fileRunRecords.js';
import { synthesizeWorkflowDefinition } from '../../lib/workflow-definition.js';
import { createProgressPrinter } from '../runner/progress.js';
import { NO_LIVE_LINE, terminalLiveLine } from '../runner/liveLine.js';
import { runLocalRestore } from '../runner/localRestore.js';
import { endingLine } from '../runner/ending.js';
import { skippedLine, skippedSteps, stepsCannotRunHere } from '../runner/stepsHere.js';
import { OUTCOME_STATES } from '../../lib/workflow.js';
import { describeAtlasTarget, localConnection, refuseIfNobodyAnswers, atlasOrigin } from './atlasTarget.js';
import { UsageError } from '../commandLine.js';
import { overrideProblems } from '../../functions/core/plans/check.js';
import type { Output } from './output.js';

/**
 * `npm run restore -- run --plan NAME`: one plan against real Atlas from this machine, with the
 * credentials the Atlas CLI uses (MONGODB_ATLAS_PUBLIC_API_KEY/PRIVATE_API_KEY or CLIENT_ID/SECRET;
 * MONGODB_ATLAS_OPS_MANAGER_URL or MONGODB_ATLAS_BASE_URL for a simulator, MONGODB_ATLAS_SERVICE=cloudgov
 * for Atlas for Government: see ../../functions/core/atlas/baseUrl.ts). No AWS: the same state machine
 * and handlers run here; notifications are printed (and posted to a webhook if one is given).
 */

export interface RunOptions {
  plan: string;
  plansFile: string;
  dryRun: boolean;
  yes: boolean;
  /** Run a plan whose post-restore steps cannot run here without them, on purpose (../runner/stepsHere.ts). */
  skipSteps?: boolean;
  restoreId?: string;
  /** The holds `hold` placed (a file: each command is its own process). */
  holdsFile: string;
  /** Where the restore history of local runs is kept (default .atlas-restore/history.json). */
  historyFile?: string;
  snapshotId?: string;
  pointInTimeUTCSeconds?: number;
  /** No live line between looks, even on a terminal. */
  quiet?: boolean;
}

export async function runPlan(options: RunOptions, out: Output): Promise<number> {
  // A run from this machine has no receiver Atlas could reach, so push completion is off: it polls
  // (the poll policy, not the slower backstop that waits for alerts that would never come).
  const { alerts: _noReceiverHere, ...plans } = loadPlansFile(options.plansFile);
  const plan = plans.plans.find((p) => p.name === options.plan);
  // A name not in the file is a mistake in the command line: one usage line, exit 2 (../program.ts adds the help page).
  if (!plan) throw new UsageError(`--plan ${options.plan}: no such plan in ${options.plansFile} (plans: ${plans.plans.map((p) => p.name).join(', ') || 'none'})`);
  refuseOverrides(plan, options);
  // Which Atlas, said in the prompt and the heading: the variables may point somewhere unintended.
  const baseUrl = baseUrlFromEnv();
  const connection = localConnection(baseUrl);
  await refuseIfNobodyAnswers(baseUrl);
  const atlas = describeAtlasTarget(baseUrl);
  // Before the prompt and before any Atlas call: a restore whose masking cannot run must not start.
  const stepsProblem = stepsCannotRunHere(plan);
  if (stepsProblem && !options.dryRun && !options.skipSteps) {
    out.error(stepsProblem);
    return 2;
  }
  if (plan.restore.type !== 'download' && !options.dryRun && !options.yes) {
    const target = plan.restore.target;
    const what = `Plan ${plan.name} restores onto ${target.clusterName} (project ${target.groupId}) on ${atlas}.`;
    if (!process.stdin.isTTY) {
      out.error(`${what}\nNo terminal to confirm on: add --yes to run it unattended, or --dry-run to only check it.`);
      return 2;
    }
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = (await rl.question(`${what} Atlas deletes ALL data on it first. Type the cluster name to go on: `)).trim();
    rl.close();
    if (answer !== target.clusterName) {
      out.error('Not confirmed: nothing was done.');
      return 2;
    }
  }

  const now = () => new Date();
  const channels = printedChannels(out, async () => {
    const url = process.env.ATLAS_RESTORE_WEBHOOK_URL;
    if (!url) throw new Error('set ATLAS_RESTORE_WEBHOOK_URL to post to the webhook from a local run');
    return webhookUrlFromSecret(url);
  });
  useLocalEnvironment({
    connection,
    plans,
    now,
    locks: new MemoryTargetLocks(now),
    ledger: new MemoryDeliveryLedger(now),
    holds: new FileTargetHolds(options.holdsFile, now),
    // Cooldowns between runs: each CLI command is its own process, so they live beside the holds.
    runs: new FileRunRecords(runsFileBeside(options.holdsFile), now),
    // What `history` lists: the local runs' records.
    history: new FileRestoreHistory(options.historyFile ?? DEFAULT_HISTORY_FILE, await atlasOrigin(baseUrl)),
    notifyChannels: channels,
  });
  const overrides = {
    ...(options.snapshotId ? { snapshotId: options.snapshotId } : {}),
    ...(options.pointInTimeUTCSeconds !== undefined ? { pointInTimeUTCSeconds: options.pointInTimeUTCSeconds } : {}),
  };
  const input = {
    planName: plan.name,
    ...(Object.keys(overrides).length ? { overrides } : {}),
    trigger: { type: 'manual', time: now().toISOString(), requestedBy: process.env.USER ?? 'local' },
    ...(options.dryRun ? { dryRun: true } : {}),
  };
  out.heading(`${options.dryRun ? 'Dry run of' : 'Running'} plan ${plan.name} on ${atlas}`);
  if (stepsProblem && options.dryRun && !options.skipSteps)
    out.line(`Note: this plan's post-restore steps (${(plan.postRestore ?? []).map((s) => s.name).join(', ')}) cannot run on this machine; a real run needs remote start, or --skip-steps.`);
  const live = options.quiet ? NO_LIVE_LINE : terminalLiveLine();
  try {
    const result = await runLocalRestore({
      definition: synthesizeWorkflowDefinition({ plansConfig: plans }),
      input,
      restoreId: options.restoreId ?? `local-${plan.name}-${Date.now().toString(36)}`,
      onEvent: createProgressPrinter({ write: (l) => out.line(l), now: () => Date.now(), color: out.color, live: { line: live, realNow: () => Date.now() } }),
      ...(options.skipSteps ? { steps: skippedSteps(plan) } : {}),
    });
    if (options.dryRun && result.status === 'SUCCEEDED') {
      // Each check on its own line, with the Atlas fact it used (the preflight's included).
      const checks = (result.output as { checks?: unknown } | undefined)?.checks;
      if (Array.isArray(checks)) out.line(`\nChecks passed:\n${checks.map((c) => `  ✓ ${String(c)}`).join('\n')}`);
      out.line('\nResolved restore (nothing was created):');
      out.box(JSON.stringify(result.output, null, 2));
      return 0;
    }
    // Asked for: the data was restored and the steps did not run, as the report says.
    if (options.skipSteps && stepsProblem && result.error === OUTCOME_STATES.VERIFICATION_FAILED.state) {
      out.line(`\n${skippedLine(plan)}`);
      return 0;
    }
    if (result.status !== 'SUCCEEDED') {
      out.error(endingLine(result, options.dryRun));
      return 1;
    }
    return 0;
  } finally {
    live.clear();
    useLocalEnvironment(undefined);
  }
}

/** The flag a person typed for each plan override (the API's field names stay in its answers and the log). */
const OVERRIDE_FLAGS: Record<string, string> = { 'overrides.snapshotId': '--snapshot', 'overrides.pointInTimeUTCSeconds': '--pit' };

/**
 * The create step's own override rules (../../functions/core/plans/check.ts), checked as the line
 * is read: a --pit in the future or a --snapshot the plan does not allow is a mistake in the command
 * line, one line naming the flag, exit 2, before any Atlas call (not a failed restore and a report).
 */
function refuseOverrides(plan: Parameters<typeof overrideProblems>[0], options: RunOptions): void {
  const overrides = {
    ...(options.snapshotId ? { snapshotId: options.snapshotId } : {}),
    ...(options.pointInTimeUTCSeconds !== undefined ? { pointInTimeUTCSeconds: options.pointInTimeUTCSeconds } : {}),
  };
  const [first] = overrideProblems(plan, overrides, new Date());
  if (!first) return;
  const flag = OVERRIDE_FLAGS[first.path] ?? first.path;
  const given = flag === '--snapshot' ? options.snapshotId : flag === '--pit' ? new Date(options.pointInTimeUTCSeconds! * 1000).toISOString() : undefined;
  throw new UsageError(`${flag}${given ? ` ${given}` : ''}: ${first.rule}`);
}
