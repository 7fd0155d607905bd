import { Command, CommanderError, Option } from 'commander';
import { runAlertsCommand } from './commands/alerts.js';
import { runHistoryCommand } from './commands/history.js';
import { HoldUsageError, holdAdministratorsOf, runHoldCommand } from './commands/holds.js';
import type { Output } from './commands/output.js';
import { runRemote, type RemoteOptions } from './commands/remote.js';
import { runReportsReplay } from './commands/reports.js';
import { ApiRestoreHistory } from './operator/apiHistory.js';
import { createSignedApi } from './operator/signedApi.js';
import { ConfigError } from '../lib/config-error.js';
import { failureOf, UsageError } from './commandLine.js';
import * as value from './optionValues.js';
import { DEFAULT_HISTORY_FILE, FileRestoreHistory } from './runner/fileHistory.js';
import { DEFAULT_HOLDS_FILE, FileTargetHolds } from './runner/fileHolds.js';

/**
 * The local runner's command line, on commander: every command with its own --help (options,
 * examples, the environment variables it reads). The wiring to the library is here and only here;
 * each command's work is in ./commands/*.ts. `main` returns the exit code; the caller prints errors.
 *
 * `demo`, `run` and `serve` build the state machine with CDK and run it with aws-local-stepfunctions,
 * seconds of loading: they are imported inside their actions, so help pages, usage mistakes and the
 * other commands load neither (test/integration/local/cliLoads.test.ts).
 */

const NPM = 'npm run restore --';

const ATLAS_ENV = `
Environment (the Atlas CLI's variables):
  MONGODB_ATLAS_PUBLIC_API_KEY, MONGODB_ATLAS_PRIVATE_API_KEY   an API key (Digest), or
  MONGODB_ATLAS_CLIENT_ID, MONGODB_ATLAS_CLIENT_SECRET          a service account (OAuth)
  MONGODB_ATLAS_OPS_MANAGER_URL or MONGODB_ATLAS_BASE_URL       another Atlas, e.g. the simulator (npm run simulator)
  MONGODB_ATLAS_SERVICE=cloudgov                                Atlas for Government
  NO_COLOR                    plain output`;

/** `run` posts its report to a webhook too when asked; no other command reads this. */
const RUN_ENV = `${ATLAS_ENV}
  ATLAS_RESTORE_WEBHOOK_URL   post the report to this webhook too`;

const REMOTE_ENV = `
Environment:
  ATLAS_RESTORE_API_URL   the stack output ApiUrl (instead of --api)
  AWS_REGION              when --region is not given and the URL does not say it
  AWS_PROFILE, AWS_ACCESS_KEY_ID, ...   AWS credentials, from the usual chain (env, profile, SSO, role)`;

const NO_ENV = '\nEnvironment: none';

/**
 * The simulator (`npm run simulator`, port 8090) and its default world's admin key, as the examples
 * that run against it show them: an example that needs the environment shows the environment.
 */
const SIMULATOR_ENV =
  'MONGODB_ATLAS_BASE_URL=http://127.0.0.1:8090 MONGODB_ATLAS_PUBLIC_API_KEY=simadmin MONGODB_ATLAS_PRIVATE_API_KEY=5f0c7d2e-0000-4000-8000-00000000a001';

/** The stack output ApiUrl as the examples show it (the stage is lib/api.ts API_STAGE; a test holds them together). */
const EXAMPLE_API_URL = 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1/';

/** A usage mistake caught by commander (unknown option, missing value): one line, exit 2. */
class CommandLineError extends UsageError {
  override name = 'CommandLineError';
}

/** Commander's words, made one line: "unknown option '--plna'\n(Did you mean --plan?)" → "unknown option '--plna': did you mean --plan?". */
function oneLine(error: CommanderError): string {
  return error.message
    .replace(/^error: /, '')
    .replace(/\s*\n\s*\(Did you mean (.+)\?\)/, ': did you mean $1?')
    .replace(/\s*\n\s*/g, ' ');
}

function examples(lines: string[], env = ''): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n${env}`;
}

/** Options whose help says "(required)" must be given; the message names the command's help page. */
function requireOptions(command: Command): void {
  const values = command.opts();
  const missing = command.options.filter((o) => o.description.endsWith('(required)') && [undefined, ''].includes(values[o.attributeName()]));
  if (missing.length === 0) return;
  const path = [command.parent?.parent ? command.parent.name() : undefined, command.name()].filter(Boolean).join(' ');
  const needs = missing.map((o) => `${o.flags}${o.envVar ? ` (or ${o.envVar})` : ''}`).join(' and ');
  throw new CommandLineError(`${path} needs ${needs} (see ${NPM} ${path} --help)`);
}

const holdsFileOption = () => new Option('--holds-file <file>', 'the local holds file `run` reads').default(DEFAULT_HOLDS_FILE);
const historyFileOption = () => new Option('--history-file <file>', 'the local restore history `run` writes').default(DEFAULT_HISTORY_FILE);

export function buildProgram(out: Output, done: (code: number) => void): Command {
  const program = new Command('restore')
    .usage('<command> [options]   (npm start runs the demo)')
    .description('Atlas restore orchestrator, locally: the demo, one plan against Atlas, holds, and a deployed stack through its API')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      examples(
        [`npm start`, `${NPM} run --plan nightly-staging --dry-run`, `${NPM} run --help`],
        "\nEnvironment: each command's --help lists the variables it reads (NO_COLOR: plain output)",
      ),
    )
    .configureOutput({ writeOut: (s) => out.line(s.replace(/\n$/, '')), writeErr: () => undefined, outputError: () => undefined })
    .exitOverride();
  // Each command inherits the error handling above; its own --help is its own page.
  const command = (parent: Command, name: string) =>
    parent
      .command(name)
      .configureOutput(program.configureOutput())
      .exitOverride()
      // Checked here, after commander has read the line, so that `--plna x` is an unknown option (with
      // its suggestion) rather than a missing --plan.
      .hook('preAction', (_, action) => requireOptions(action));

  const demo = () => import('./commands/demo.js');
  const run = () => import('./commands/run.js');
  const serve = () => import('./commands/serve.js');

  command(program, 'demo')
    .description('two restore stories on the local simulator: no AWS, no Atlas account (what npm start runs)')
    .option('--fast', 'no pauses between polls (also when CI is set)', false)
    .option('--plans <file>', 'plans file', 'config/plans.json')
    .addHelpText('after', examples(['npm start', `${NPM} demo --fast`], '\nEnvironment:\n  CI        no pauses (like --fast)\n  NO_COLOR  plain output'))
    .action(async (o: { fast: boolean; plans: string }) => done(await (await demo()).runDemo({ plansFile: o.plans, pauseMs: o.fast || process.env.CI ? 0 : 120 }, out)));

  command(program, 'run')
    .description('run one plan against Atlas (or the simulator) from this machine, through the same state machine and handlers')
    .option('--plan <name>', 'the plan to run (required)', value.planName())
    .option('--plans <file>', 'plans file', 'config/plans.json')
    .option('--dry-run', 'resolve and check only; create nothing', false)
    .option('--yes', 'do not ask before a restore that overwrites its target', false)
    .option('--snapshot <id>', 'restore this snapshot (the plan must allow the override)', value.objectId('--snapshot'))
    .option('--pit <time>', 'restore to this point in time: ISO 8601 (2026-12-01T03:00:00Z) or UTC seconds', value.utcSeconds())
    .option('--restore-id <id>', 'the restore id (default local-<plan>-<time>)', value.restoreId('--restore-id'))
    .option('--skip-steps', "restore without the plan's post-restore steps, which cannot run on this machine (the report says they were not run)", false)
    .option('--quiet', 'no live line between looks (it is shown only on a terminal anyway)', false)
    .addOption(holdsFileOption())
    .addOption(historyFileOption())
    .addHelpText(
      'after',
      examples(
        [
          `${SIMULATOR_ENV} ${NPM} run --plan nightly-staging --dry-run`,
          `${SIMULATOR_ENV} ${NPM} run --plan nightly-staging --skip-steps --yes`,
          `${SIMULATOR_ENV} ${NPM} run --plan recover-prod-before-alarm --pit $(($(date +%s) - 3600)) --yes`,
        ],
        RUN_ENV,
      ),
    )
    .action(async (o: { plan: string; plans: string; dryRun: boolean; yes: boolean; skipSteps: boolean; quiet: boolean; snapshot?: string; pit?: number; restoreId?: string; holdsFile: string; historyFile: string }) =>
      done(
        await (await run()).runPlan(
          {
            plan: o.plan,
            plansFile: o.plans,
            dryRun: o.dryRun,
            yes: o.yes,
            skipSteps: o.skipSteps,
            quiet: o.quiet,
            holdsFile: o.holdsFile,
            historyFile: o.historyFile,
            ...(o.restoreId ? { restoreId: o.restoreId } : {}),
            ...(o.snapshot ? { snapshotId: o.snapshot } : {}),
            ...(o.pit !== undefined ? { pointInTimeUTCSeconds: o.pit } : {}),
          },
          out,
        ),
      ),
    );

  command(program, 'serve')
    .description("the HTTP API on this machine (127.0.0.1 only): the deployed API's routes and answers, its restores run here against Atlas or the simulator")
    .option('--port <port>', 'the port to listen on', value.port(), 8080)
    .option('--host <host>', 'loopback only: 127.0.0.1, ::1 or localhost', value.loopbackHost(), '127.0.0.1')
    .option('--plans <file>', 'plans file', 'config/plans.json')
    .addOption(holdsFileOption())
    .addOption(historyFileOption())
    .addHelpText(
      'after',
      examples(
        [
          `${SIMULATOR_ENV} ${NPM} serve`,
          `curl -s -X POST 'http://127.0.0.1:8080/restores?dryRun=true' -H 'Content-Type: application/json' -d '{"plan":"recover-prod-before-alarm"}'`,
        ],
        `${ATLAS_ENV}\n  The caller of a request is its X-Restore-Caller header, else local:<your OS user>.`,
      ),
    )
    .action(async (o: { port: number; host: string; plans: string; holdsFile: string; historyFile: string }) =>
      done(await (await serve()).runServe({ host: o.host, port: o.port, plansFile: o.plans, holdsFile: o.holdsFile, historyFile: o.historyFile }, out)),
    );

  const holdExamples = [`${NPM} hold --target 65f1a0000000000000000002/staging-cluster --for 4h --reason "customer demo"`, `${NPM} holds`];
  command(program, 'hold')
    .description('hold a target locally: `run` refuses to restore onto it until the hold ends or is released')
    .option('--target <groupId/cluster>', 'the cluster to hold (required)', value.target())
    .option('--for <duration>', 'how long: 90m, 4h, 2d (at most 30 days) (required)', value.holdFor())
    .option('--reason <why>', 'shown to whoever is refused (required)', value.notBlank('--reason'))
    .option('--plans <file>', "plans file (its holdAdministrators may replace another's hold)", 'config/plans.json')
    .addOption(holdsFileOption())
    .addHelpText('after', examples(holdExamples, `\nHeld by: this machine's login name, who alone (or a hold administrator) may release, shorten or replace it${NO_ENV}`))
    .action(async (o: { target: string; for: string; reason: string; plans: string; holdsFile: string }) =>
      done(await runHoldCommand({ action: 'hold', target: o.target, for: o.for, reason: o.reason, administrators: holdAdministratorsOf(o.plans) }, new FileTargetHolds(o.holdsFile), out)),
    );
  command(program, 'release')
    .description('lift a local hold (yours, or any as a hold administrator)')
    .option('--target <groupId/cluster>', 'the held cluster (required)', value.target())
    .option('--plans <file>', "plans file (its holdAdministrators may release another's hold)", 'config/plans.json')
    .addOption(holdsFileOption())
    .addHelpText('after', examples([`${NPM} release --target 65f1a0000000000000000002/staging-cluster`], NO_ENV))
    .action(async (o: { target: string; plans: string; holdsFile: string }) =>
      done(await runHoldCommand({ action: 'release', target: o.target, administrators: holdAdministratorsOf(o.plans) }, new FileTargetHolds(o.holdsFile), out)),
    );
  command(program, 'holds')
    .description('list the local holds')
    .addOption(holdsFileOption())
    .addHelpText('after', examples([`${NPM} holds`, `${NPM} holds --holds-file .atlas-restore/holds.json`], NO_ENV))
    .action(async (o: { holdsFile: string }) => done(await runHoldCommand({ action: 'holds' }, new FileTargetHolds(o.holdsFile), out)));

  const replayExample = `${NPM} reports replay --report nightly-staging-20260301T030000Z/SUCCEEDED --function AtlasRestore-NotifyRestore1A2B3C --region eu-west-1`;
  const replayEnv = '\nEnvironment:\n  AWS_REGION, AWS_PROFILE, AWS_ACCESS_KEY_ID, ...   AWS credentials (lambda:InvokeFunction on the notify function)';
  const reports = command(program, 'reports')
    .description('reports a channel did not take through every retry of notify (ReportUndelivered)')
    .addHelpText('after', examples([replayExample], replayEnv));
  command(reports, 'replay')
    .description('send a kept report to the channels that missed it, once each, through the deployed notify function')
    .option('--report <reportId>', 'the report id the ReportUndelivered log line names (required)')
    .option('--function <name>', "the stack's notify function: name or ARN (required)")
    .option('--region <region>', 'AWS region (default AWS_REGION, or the ARN\'s)')
    .addHelpText(
      'after',
      examples([replayExample], replayEnv),
    )
    .action(async (o: { report: string; function: string; region?: string }) =>
      done(await runReportsReplay({ report: o.report, function: o.function, ...(o.region ? { region: o.region } : {}) }, out)),
    );

  command(program, 'history')
    .description('the restore history of local runs, or of a deployed stack with --api, with the auditor summary (drills passed, RTO p50/p90/max, RPO max)')
    .option('--plan <name>', 'only this plan (required with --api)', value.planName())
    .option('--since <age>', 'only restores started within this long (90d, 12h) or since an ISO-8601 date', value.since())
    .option('--format <format>', 'table, csv or json', value.historyFormat(), 'table')
    .addOption(historyFileOption())
    .addOption(new Option('--api <url>', "a deployed stack's ApiUrl output: read its history through GET /restores (SigV4)").env('ATLAS_RESTORE_API_URL').argParser(value.apiUrl()))
    .option('--region <region>', 'with --api: AWS region to sign for (default: from the URL, else AWS_REGION)', value.awsRegion())
    .addHelpText(
      'after',
      examples(
        [
          `${NPM} history --plan nightly-staging --since 90d`,
          `${NPM} history --since 30d --format csv > restores.csv`,
          `${NPM} history --api https://abc123.execute-api.eu-west-1.amazonaws.com/v1/ --plan weekly-drill --since 90d`,
        ],
        `${REMOTE_ENV}\n(without --api: none)`,
      ),
    )
    .action(async (o: { plan?: string; since?: string; format: string; historyFile: string; api?: string; region?: string }) => {
      if (o.region && !o.api) throw new CommandLineError(`history --region is only for a deployed stack's history: give --api too (see ${NPM} history --help)`);
      return done(
        await runHistoryCommand(
          { ...(o.plan ? { plan: o.plan } : {}), ...(o.since ? { since: o.since } : {}), format: o.format },
          o.api ? new ApiRestoreHistory(createSignedApi({ apiUrl: o.api, ...(o.region ? { region: o.region } : {}) })) : new FileRestoreHistory(o.historyFile),
          out,
        ),
      );
    });

  const alertsEnv = `${ATLAS_ENV}
  ATLAS_ALERT_WEBHOOK_SECRET  the webhook secret (instead of --secret-name)`;
  const url = `${EXAMPLE_API_URL}alerts`;
  const alertsExample = (action: 'setup' | 'check') =>
    `${NPM} alerts ${action} --project 65f1a0000000000000000001 --url ${url}${action === 'setup' ? ' --secret-name atlas-restore/alert-webhook' : ''}`;
  const alerts = command(program, 'alerts')
    .description("wire an Atlas project's restore alerts to a stack's alert receiver (push completion)")
    .addHelpText('after', examples([alertsExample('setup'), alertsExample('check')], alertsEnv));
  for (const action of ['setup', 'check'] as const) {
    const sub = command(alerts, action)
      .description(
        action === 'setup'
          ? 'create or update (idempotently) the alert configurations that send CPS_RESTORE_* alerts to the receiver, signed with the secret'
          : 'say whether the project sends its restore alerts to the receiver; exit 1 when not',
      )
      .option('--project <groupId>', 'the Atlas project (required)', value.objectId('--project'))
      .option('--url <receiverUrl>', 'the stack output AlertReceiverUrl (required)', value.receiverUrl());
    sub.option(
      '--secret-name <name>',
      action === 'setup'
        ? 'Secrets Manager secret holding the webhook secret (the plans file alerts.webhookSecretName)'
        : 'Secrets Manager secret holding the webhook secret: the test delivery to the receiver is signed with it',
      value.notBlank('--secret-name'),
    );
    if (action === 'setup') sub.option('--force', 're-send the secret even when nothing else changed', false);
    sub
      .addHelpText('after', examples([alertsExample(action)], alertsEnv))
      .action(async (o: { project: string; url: string; secretName?: string; force?: boolean }) =>
        done(await runAlertsCommand({ action, project: o.project, url: o.url, force: o.force ?? false, ...(o.secretName ? { secretName: o.secretName } : {}) }, out)),
      );
  }

  addRemote(command(program, 'remote'), command, out, done);
  return program;
}

type Make = (parent: Command, name: string) => Command;

function addRemote(remote: Command, command: Make, out: Output, done: (code: number) => void): void {
  const URL = EXAMPLE_API_URL;
  remote
    .description('a deployed stack, through its SigV4-signed HTTP API')
    .addHelpText(
      'after',
      examples(
        [
          `${NPM} remote start --api ${URL} --plan nightly-staging --key refresh-2026-03-01 --follow`,
          `ATLAS_RESTORE_API_URL=${URL} ${NPM} remote status --id refresh-2026-03-01`,
          `${NPM} remote holds --api ${URL}`,
        ],
        REMOTE_ENV,
      ),
    );
  const api = () => new Option('--api <url>', 'the stack output ApiUrl (required)').env('ATLAS_RESTORE_API_URL').argParser(value.apiUrl());
  const region = () => new Option('--region <region>', 'AWS region to sign for (default: from the URL, else AWS_REGION)').argParser(value.awsRegion());
  type Common = { api: string; region?: string };
  const call = async (action: RemoteOptions['action'], o: Common & Partial<Omit<RemoteOptions, 'api' | 'region' | 'action'>>) =>
    done(
      await runRemote(
        {
          dryRun: false,
          follow: false,
          everySeconds: 30,
          ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
          action,
          api: o.api,
        } as RemoteOptions,
        out,
      ),
    );
  const sub = (name: string, description: string, example: string) =>
    command(remote, name).description(description).addOption(api()).addOption(region()).addHelpText('after', examples([example], REMOTE_ENV));

  sub('start', 'start a plan', `${NPM} remote start --api ${URL} --plan nightly-staging --key refresh-2026-03-01 --follow`)
    .option('--plan <name>', 'the plan to start (required)', value.planName())
    .option('--key <idempotencyKey>', 'the same key twice starts one restore', value.idempotencyKey())
    .option('--dry-run', 'resolve and check only', false)
    .option('--follow', 'follow it to the end', false)
    .option('--every <seconds>', 'how often to look when following', value.positiveSeconds(), 30)
    .action((o: Common & { plan: string; key?: string; dryRun: boolean; follow: boolean; every: number }) =>
      call('start', { api: o.api, region: o.region, plan: o.plan, idempotencyKey: o.key, dryRun: o.dryRun, follow: o.follow, everySeconds: o.every }),
    );
  for (const [name, description] of [
    ['status', 'show a restore'],
    ['cancel', 'cancel a restore'],
    ['follow', 'follow a restore to its end'],
  ] as const) {
    const page = sub(name, description, `${NPM} remote ${name} --api ${URL} --id refresh-2026-03-01`).option(
      '--id <restoreId>',
      'the restore id (the idempotency key) (required)',
      value.restoreId('--id'),
    );
    // Only following looks more than once: status and cancel take no --every (commander then refuses it).
    if (name === 'follow') page.option('--every <seconds>', 'how often to look', value.positiveSeconds(), 30);
    page.action((o: Common & { id: string; every?: number }) => call(name, { api: o.api, region: o.region, id: o.id, ...(o.every !== undefined ? { everySeconds: o.every } : {}) }));
  }
  sub('hold', 'hold a target on the stack', `${NPM} remote hold --api ${URL} --target 65f1a0000000000000000002/staging-cluster --for 4h --reason "customer demo"`)
    .option('--target <groupId/cluster>', 'the cluster to hold (required)', value.target())
    .option('--for <duration>', 'how long: 90m, 4h, 2d (required)', value.holdFor())
    .option('--reason <why>', 'shown to whoever is refused (required)', value.notBlank('--reason'))
    .action((o: Common & { target: string; for: string; reason: string }) => call('hold', { api: o.api, region: o.region, target: o.target, for: o.for, reason: o.reason }));
  sub('release', 'lift a hold on the stack', `${NPM} remote release --api ${URL} --target 65f1a0000000000000000002/staging-cluster`)
    .option('--target <groupId/cluster>', 'the held cluster (required)', value.target())
    .action((o: Common & { target: string }) => call('release', { api: o.api, region: o.region, target: o.target }));
  sub('holds', 'list the holds on the stack', `${NPM} remote holds --api ${URL}`).action((o: Common) => call('holds', { api: o.api, region: o.region }));
}

/** Parses and runs; 0 after --help; a commander mistake becomes a CommandLineError naming the command's help. */
export async function main(argv: string[], out: Output): Promise<number> {
  let code = 0;
  const program = buildProgram(out, (c) => (code = c));
  // No command: the demo, as `npm start` (a bare option such as --fast goes to it too).
  const args = argv.length === 0 || (argv[0]?.startsWith('-') && !['-h', '--help'].includes(argv[0])) ? ['demo', ...argv] : argv;
  // Point at the help of the command that was being read: `remote start --help`, `run --help`, or the top.
  const top = program.commands.find((c) => c.name() === args[0]);
  const sub = top?.commands.find((c) => c.name() === args[1]);
  const page = `(see ${NPM} ${[top?.name(), sub?.name(), '--help'].filter(Boolean).join(' ')})`;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    // A value refused by an option's check (./optionValues.ts) or by the command: its own help page.
    if (error instanceof UsageError) throw error.message.endsWith('--help)') ? error : new CommandLineError(`${error.message} ${page}`);
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0) return 0; // --help
    // `remote` alone: commander would print its help to stderr; say what is missing instead.
    if (error.code === 'commander.help' && top)
      throw new CommandLineError(`${top.name()} needs a command: ${top.commands.map((c) => c.name()).join(', ')} (see ${NPM} ${top.name()} --help)`);
    throw new CommandLineError(`${oneLine(error)} ${page}`);
  }
  return code;
}

/**
 * The command line from arguments to exit code, as local/cli.ts runs it (and the tests, in process):
 * one line for any mistake, exit 2 for usage (with where to read it), 1 for failures. A broken plans
 * file is the caller's input too: exit 2, like a bad option.
 */
export async function runCommandLine(argv: string[], out: Output, stderr: (line: string) => void): Promise<number> {
  try {
    return await main(argv, out);
  } catch (error) {
    const { code, line } = failureOf(error, `see ${NPM} --help`, (e) => e instanceof HoldUsageError || e instanceof ConfigError);
    stderr(line);
    return code;
  }
}
