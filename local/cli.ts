import './quiet.js';
import { exitWith, parseCommandLine, UsageError } from './commandLine.js';
import { runDemo } from './commands/demo.js';
import { terminalOutput } from './commands/output.js';
import { HoldUsageError, runHoldCommand } from './commands/holds.js';
import { runRemote, type RemoteOptions } from './commands/remote.js';
import { DEFAULT_HOLDS_FILE, FileTargetHolds } from './runner/fileHolds.js';
import { runPlan } from './commands/run.js';
import { runAlertsCommand } from './commands/alerts.js';
import { HistoryUsageError, runHistoryCommand } from './commands/history.js';
import { DEFAULT_HISTORY_FILE, FileRestoreHistory } from './runner/fileHistory.js';

/**
 * The local runner:
 *   demo                      two restore stories on the simulator (what `npm start` runs)
 *   run --plan NAME           one plan against real Atlas (MONGODB_ATLAS_* variables)
 *   hold|release|holds        hold a target locally (a file `run` reads)
 *   remote start|status|cancel|follow|hold|release|holds   a deployed stack through its signed HTTP API
 *   alerts setup|check        wire an Atlas project's restore alerts to the stack's receiver
 */

const USAGE = `usage:
  npm start                                   the local demo (simulator + local workflow; no AWS, no Atlas)
  npm run restore -- demo [--fast]
  npm run restore -- run --plan NAME [--dry-run] [--yes] [--snapshot ID] [--pit UTC_SECONDS] [--plans FILE] [--holds-file FILE]
  npm run restore -- hold --target GROUP_ID/CLUSTER --for 4h --reason WHY [--by NAME] [--holds-file FILE]
  npm run restore -- release --target GROUP_ID/CLUSTER [--holds-file FILE]
  npm run restore -- holds [--holds-file FILE]
  npm run restore -- history [--plan NAME] [--since 90d] [--format table|csv|json] [--history-file FILE]
  npm run restore -- remote start --api URL --plan NAME [--key IDEMPOTENCY_KEY] [--dry-run] [--follow]
  npm run restore -- remote status|cancel|follow --api URL --id RESTORE_ID [--every SECONDS]
  npm run restore -- remote hold --api URL --target GROUP_ID/CLUSTER --for 4h --reason WHY
  npm run restore -- remote release --api URL --target GROUP_ID/CLUSTER
  npm run restore -- remote holds --api URL
  npm run restore -- alerts setup --project GROUP_ID --url RECEIVER_URL [--secret-name NAME] [--force]
  npm run restore -- alerts check --project GROUP_ID --url RECEIVER_URL
                                              (setup reads the secret from --secret-name or ATLAS_ALERT_WEBHOOK_SECRET)
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    positionals: true,
    options: {
      plan: { type: 'string' },
      plans: { type: 'string', default: 'config/plans.json' },
      'dry-run': { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      snapshot: { type: 'string' },
      pit: { type: 'string' },
      'restore-id': { type: 'string' },
      api: { type: 'string', default: process.env.ATLAS_RESTORE_API_URL },
      region: { type: 'string' },
      id: { type: 'string' },
      key: { type: 'string' },
      follow: { type: 'boolean', default: false },
      every: { type: 'string', default: '30' },
      fast: { type: 'boolean', default: false },
      target: { type: 'string' },
      for: { type: 'string' },
      reason: { type: 'string' },
      by: { type: 'string' },
      'holds-file': { type: 'string', default: DEFAULT_HOLDS_FILE },
      project: { type: 'string' },
      url: { type: 'string' },
      'secret-name': { type: 'string' },
      force: { type: 'boolean', default: false },
      since: { type: 'string' },
      format: { type: 'string' },
      'history-file': { type: 'string', default: DEFAULT_HISTORY_FILE },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const out = terminalOutput();
  const [command = 'demo', action] = positionals;
  if (values.help) {
    out.line(USAGE);
    return 0;
  }
  switch (command) {
    case 'demo':
      return runDemo({ plansFile: values.plans, pauseMs: values.fast || process.env.CI ? 0 : 120 }, out);
    case 'run': {
      if (!values.plan) throw new UsageError('run needs --plan NAME');
      const pit = values.pit === undefined ? undefined : Number(values.pit);
      if (pit !== undefined && !Number.isInteger(pit)) throw new UsageError(`--pit must be UTC seconds, got ${values.pit}`);
      return runPlan(
        {
          plan: values.plan,
          plansFile: values.plans,
          dryRun: values['dry-run'],
          yes: values.yes,
          holdsFile: values['holds-file'],
          historyFile: values['history-file'],
          ...(values['restore-id'] ? { restoreId: values['restore-id'] } : {}),
          ...(values.snapshot ? { snapshotId: values.snapshot } : {}),
          ...(pit !== undefined ? { pointInTimeUTCSeconds: pit } : {}),
        },
        out,
      );
    }
    case 'hold':
    case 'release':
    case 'holds':
      return runHoldCommand(
        {
          action: command,
          ...(values.target ? { target: values.target } : {}),
          ...(values.for ? { for: values.for } : {}),
          ...(values.reason ? { reason: values.reason } : {}),
          ...(values.by ? { by: values.by } : {}),
        },
        new FileTargetHolds(values['holds-file']),
        out,
      );
    case 'history':
      return runHistoryCommand(
        { ...(values.plan ? { plan: values.plan } : {}), ...(values.since ? { since: values.since } : {}), ...(values.format ? { format: values.format } : {}) },
        new FileRestoreHistory(values['history-file']),
        out,
      );
    case 'remote': {
      if (!action || !['start', 'status', 'cancel', 'follow', 'hold', 'release', 'holds'].includes(action))
        throw new UsageError('remote needs start, status, cancel, follow, hold, release or holds');
      if (!values.api) throw new UsageError('remote needs --api (the stack output ApiUrl) or ATLAS_RESTORE_API_URL');
      const every = Number(values.every);
      if (!(every >= 1)) throw new UsageError(`--every must be at least 1 second, got ${values.every}`);
      return runRemote(
        {
          action: action as RemoteOptions['action'],
          api: values.api,
          dryRun: values['dry-run'],
          follow: values.follow,
          everySeconds: every,
          ...(values.region ? { region: values.region } : {}),
          ...(values.plan ? { plan: values.plan } : {}),
          ...(values.id ? { id: values.id } : {}),
          ...(values.key ? { idempotencyKey: values.key } : {}),
          ...(values.target ? { target: values.target } : {}),
          ...(values.for ? { for: values.for } : {}),
          ...(values.reason ? { reason: values.reason } : {}),
        },
        out,
      );
    }
    case 'alerts':
      if (action !== 'setup' && action !== 'check') throw new UsageError('alerts needs setup or check');
      return runAlertsCommand(
        {
          action,
          force: values.force,
          ...(values.project ? { project: values.project } : {}),
          ...(values.url ? { url: values.url } : {}),
          ...(values['secret-name'] ? { secretName: values['secret-name'] } : {}),
        },
        out,
      );
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

// One line for any mistake, exit 2 for usage (with where to read it), 1 for failures.
exitWith(main(process.argv.slice(2)), 'see npm run restore -- --help', (e) => e instanceof HoldUsageError || e instanceof HistoryUsageError);
