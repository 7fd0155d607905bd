import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from '../../../local/simulator/index.js';
import { ADMIN_KEY, STAGING, defaultWorld } from '../atlas/helpers.js';
import { ROOT, cli, runTool } from './childProcess.js';
import { runCli } from './inProcess.js';

/**
 * The local runner as a person runs it: its exit code and what it prints. `run` is pointed at a
 * simulator through MONGODB_ATLAS_BASE_URL (or the Atlas CLI's MONGODB_ATLAS_OPS_MANAGER_URL),
 * exactly as it would be at real Atlas. The CLI's cases run in this process (./inProcess.ts: the
 * same code from arguments to exit code) unless the process itself is the point: the demo's quiet
 * output and a run with no terminal to confirm on run as child processes here, and
 * cliLoads.test.ts runs every other command and a usage mistake as one. The simulator and the
 * bench, other entry points, run as child processes.
 */


/** Another of our entry points (the bench, synth), the same way. */
const tool = (script: string, args: string[], env: Record<string, string> = {}) => runTool(script, args, { env: { CI: 'true', NO_COLOR: '1', ...env } });

describe('usage mistakes: one line in our words, exit 2, no stack trace', () => {
  it.each([
    ['local/cli.ts', ['run', '--plna', 'nightly-staging'], "error: unknown option '--plna': did you mean --plan? (see npm run restore -- run --help)"],
    ['local/cli.ts', ['run', '--plan'], "error: option '--plan <name>' argument missing (see npm run restore -- run --help)"],
    ['local/cli.ts', ['run'], 'error: run needs --plan <name> (see npm run restore -- run --help)'],
    ['local/cli.ts', ['frobnicate'], "error: unknown command 'frobnicate' (see npm run restore -- --help)"],
    ['local/cli.ts', ['remote'], 'error: remote needs a command: start, status, cancel, follow, hold, release, holds (see npm run restore -- remote --help)'],
    [
      'local/cli.ts',
      ['remote', 'start', '--plan', 'nightly-staging'],
      'error: remote start needs --api <url> (or ATLAS_RESTORE_API_URL) (see npm run restore -- remote start --help)',
    ],
    [
      'local/cli.ts',
      ['remote', 'start', '--api', 'notaurl', '--plan', 'nightly-staging'],
      'error: --api notaurl: must be the stack output ApiUrl, an http(s) URL such as https://abc123.execute-api.eu-west-1.amazonaws.com/v1/ (from --api or ATLAS_RESTORE_API_URL) (see npm run restore -- remote start --help)',
    ],
    ['local/cli.ts', ['remote', 'status', '--api', 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1/', '--id', 'bad id!'], 'error: --id bad id!: must be 1-80 characters of letters, digits, - or _ (see npm run restore -- remote status --help)'],
    ['local/cli.ts', ['run', '--plan', 'nightly-staging', '--dry-run', '--snapshot', 'xyz'], 'error: --snapshot xyz: must be a 24-character lowercase hex id (see npm run restore -- run --help)'],
    ['local/cli.ts', ['run', '--plan', 'recover-prod-before-alarm', '--pit', '1'], 'error: --pit 1: must be at least 1199145600 (2008-01-01T00:00:00Z) (see npm run restore -- run --help)'],
    [
      'local/cli.ts',
      ['run', '--plan', 'nope'],
      'error: --plan nope: no such plan in config/plans.json (plans: nightly-staging, recover-prod-before-alarm, download-prod-latest) (see npm run restore -- run --help)',
    ],
    ['local/cli.ts', ['hold', '--target', 'staging-cluster', '--for', '4h', '--reason', 'x'], 'error: --target staging-cluster: give it as <groupId>/<clusterName> (see npm run restore -- hold --help)'],
    ['local/simulator/main.ts', ['--scale', '0'], 'error: --scale 0: must be a number of simulated seconds per real second, more than 0 (see npm run simulator -- --help)'],
    ['local/simulator/main.ts', ['--sacle', '60'], 'error: unknown option --sacle: did you mean --scale? (see npm run simulator -- --help)'],
    ['local/simulator/main.ts', ['--bogus'], 'error: unknown option --bogus (see npm run simulator -- --help)'],
    ['bench/run.ts', ['--frobnicate'], 'error: unknown option --frobnicate (see npm run bench -- --help)'],
    ['bench/run.ts', ['--skip', 'everything'], 'error: --skip everything: must be one of polling, cold, scale (see npm run bench -- --help)'],
  ])('%s %j', async (script, args, line) => {
    const { code, stdout, stderr } = script === 'local/cli.ts' ? await runCli(args, { ATLAS_RESTORE_API_URL: '' }) : await tool(script, args, { ATLAS_RESTORE_API_URL: '' });
    expect(code).toBe(2);
    expect(stderr).toBe(`${line}\n`);
    expect(stdout).toBe('');
  }, 60_000);

  it('a broken plans file is one line naming the plan and field, exit 2; a bench that fails is one line, exit 1', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'plans-')), 'plans.json');
    const plans = JSON.parse(readFileSync(join(ROOT, 'config/plans.json'), 'utf8'));
    plans.plans[0].triggers.schedule.cron = 'cron(0 3 * * * *)';
    writeFileSync(file, JSON.stringify(plans));
    const bad = await runCli(['run', '--plan', plans.plans[0].name, '--dry-run', '--plans', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(new RegExp(`^error: Invalid plans config \\(${file}\\): plan "${plans.plans[0].name}" triggers\\.schedule\\.cron: .*day-of-week must be \\? .*\\n$`));
    const bench = await tool('bench/run.ts', ['--skip', 'cold', '--skip', 'scale', '--out', join(file, 'not-a-dir', 'results.json')]);
    expect(bench.code).toBe(1);
    expect(bench.stderr).toMatch(/^error: ENOTDIR: [^\n]+\n$/);
  }, 120_000);

  it('a broken local file (history, holds, simulator world) is one line naming the file and what to do, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'broken-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{x');
    for (const [script, args, what] of [
      ['local/cli.ts', ['history', '--history-file', broken], 'restore history file'],
      ['local/cli.ts', ['holds', '--holds-file', broken], 'holds file'],
      ['local/cli.ts', ['release', '--target', `${STAGING}/staging-cluster`, '--holds-file', broken], 'holds file'],
      ['local/simulator/main.ts', ['--world', broken], 'simulator world'],
    ] as const) {
      const { code, stdout, stderr } = script === 'local/cli.ts' ? await runCli([...args]) : await tool(script, [...args]);
      expect(code, stderr).toBe(1);
      expect(stderr).toMatch(new RegExp(`^error: ${broken} is not a ${what}: not valid JSON \\([^\n]+\\); (move it aside|fix it)[^\n]*\n$`));
      expect(stdout).toBe('');
    }
    // Valid JSON, not a history: the field that is wrong, and still the file.
    writeFileSync(broken, JSON.stringify({ records: [{ plan: 'x' }] }));
    const wrong = await runCli(['history', '--history-file', broken]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(new RegExp(`^error: ${broken} is not a restore history file: records\\.0\\.[a-zA-Z.]+: [^\n]+; move it aside \\(e\\.g\\. mv ${broken} ${broken}\\.broken\\)[^\n]*\n$`));
    expect(readFileSync(broken, 'utf8')).toBe(JSON.stringify({ records: [{ plan: 'x' }] }));
  }, 120_000);

  it('each command has its own help: options, examples and the environment variables it reads', async () => {
    const start = await runCli(['remote', 'start', '--help']);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toMatch(/^Usage: restore remote start \[options\]/);
    for (const text of ['--region <region>', '--key <idempotencyKey>', 'Examples:', '$ npm run restore -- remote start --api https://', 'ATLAS_RESTORE_API_URL', 'AWS_REGION'])
      expect(start.stdout).toContain(text);
    expect(start.stdout).not.toContain('--holds-file');
    const run = await runCli(['run', '--help']);
    for (const text of ['--dry-run', 'MONGODB_ATLAS_PUBLIC_API_KEY', 'MONGODB_ATLAS_CLIENT_ID', 'MONGODB_ATLAS_OPS_MANAGER_URL', 'MONGODB_ATLAS_BASE_URL', 'MONGODB_ATLAS_SERVICE'])
      expect(run.stdout).toContain(text);
    expect(run.stdout).not.toContain('--region');
  }, 60_000);

  it('npm run bench -- --help prints the usage and measures nothing', async () => {
    const { code, stdout, stderr } = await tool('bench/run.ts', ['--help']);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^usage: npm run bench -- /);
    expect(stdout).toContain('--workflows');
    expect(stdout).not.toContain('Polling');
  }, 60_000);
});

describe('npm start (the demo)', () => {
  it('runs the three stories on the simulator (the third over the local HTTP API) and exits 0', async () => {
    const { code, stdout, stderr } = await cli(['demo', '--fast']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('All 3 restores succeeded');
    // Started over HTTP with an Idempotency-Key, followed with GET to its end.
    expect(stdout).toMatch(/^202 \{"restoreId":"demo-http-[a-z0-9]+","status":"STARTED"/m);
    expect(stdout).toMatch(/^200 workflow SUCCEEDED, outcome SUCCEEDED, \d+ looks, 1 download link\(s\)$/m);
    expect(stdout).toMatch(/staging-cluster now holds data version prod-v\d/);
    expect(stdout).toMatch(/recovery-cluster now holds data version prod-v\d/);
    expect(stdout.match(/Atlas Restore Succeeded/g)).toHaveLength(2);
    // Push: the first restore in a project polls as usual until its alert; the alert ends it at
    // once, measured at the look that saw the end (the masking step runs minutes after it).
    expect(stdout).toContain('(polling as usual: no Atlas alert from this project yet)');
    const seenAfter = [...stdout.matchAll(/Atlas alert received, polled at once: SUCCEEDED, (\d+) s after the job ended/g)].map((m) => Number(m[1]));
    expect(seenAfter).toHaveLength(2);
    for (const seconds of seenAfter) expect(seconds).toBeLessThanOrEqual(10);
    // Quiet: no Lambda JSON log lines or EMF blobs in the story.
    expect(stdout).not.toMatch(/^\{"level"/m);
    expect(stdout).not.toContain('_aws');
  }, 120_000);
});

describe('run --plan against an Atlas given by MONGODB_ATLAS_* (here the simulator)', () => {
  let sim: SimulatorHandle;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulator(defaultWorld(), { clock: { scale: 600 } });
    env = {
      MONGODB_ATLAS_BASE_URL: sim.baseUrl,
      MONGODB_ATLAS_PUBLIC_API_KEY: ADMIN_KEY.publicKey,
      MONGODB_ATLAS_PRIVATE_API_KEY: ADMIN_KEY.privateKey,
    };
  });
  afterAll(async () => sim?.stop());

  it('refuses a destructive restore without a terminal to confirm on, and changes nothing', async () => {
    // --skip-steps: past the refusal of its masking step (runSteps.test.ts), to the question.
    const { code, stderr } = await cli(['run', '--plan', 'nightly-staging', '--skip-steps'], env);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--yes/);
    // The question names which Atlas it would restore on, before anyone reaches for --yes.
    expect(stderr).toContain(`restores onto staging-cluster (project ${STAGING}) on the local simulator at ${sim.baseUrl} (from MONGODB_ATLAS_BASE_URL)`);
    expect(sim.jobs()).toEqual([]);
  }, 60_000);

  it("follows the Atlas CLI's MONGODB_ATLAS_OPS_MANAGER_URL to the simulator and says so in the heading", async () => {
    const { MONGODB_ATLAS_BASE_URL: _unused, ...keys } = env;
    const calls = sim.requests().length;
    const { code, stdout, stderr } = await runCli(['run', '--plan', 'nightly-staging', '--dry-run'], {
      ...keys,
      MONGODB_ATLAS_BASE_URL: '', // an inherited one must not decide this test
      MONGODB_ATLAS_OPS_MANAGER_URL: `${sim.baseUrl}/`, // as the Atlas CLI's docs write it
    });
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`Dry run of plan nightly-staging on the local simulator at ${sim.baseUrl} (from MONGODB_ATLAS_OPS_MANAGER_URL)`);
    expect(sim.requests().length).toBeGreaterThan(calls);
    expect(sim.jobs()).toEqual([]);
  }, 60_000);

  it('refuses a malformed MONGODB_ATLAS_OPS_MANAGER_URL in one line, before calling anything', async () => {
    const calls = sim.requests().length;
    const { code, stdout, stderr } = await runCli(['run', '--plan', 'nightly-staging', '--dry-run'], { ...env, MONGODB_ATLAS_OPS_MANAGER_URL: 'localhost:8090' });
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^error: MONGODB_ATLAS_OPS_MANAGER_URL must be an http\(s\) URL \(expected a base URL such as [^\n]+\)$/);
    expect(stdout).not.toContain('Dry run of');
    expect(sim.requests().length).toBe(calls);
  }, 60_000);

  it('a dry run shows the resolved restore and the checks, and creates nothing', async () => {
    const { code, stdout, stderr } = await runCli(['run', '--plan', 'nightly-staging', '--dry-run'], env);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('nothing was created');
    expect(stdout).toContain('"snapshotId"');
    expect(stdout).toMatch(/not a protected cluster/);
    expect(sim.jobs()).toEqual([]);
  }, 60_000);

  it('hold stops the next run (a dry run says who, until when and why), release lifts it', async () => {
    const holdsFile = join(mkdtempSync(join(tmpdir(), 'holds-')), 'holds.json');
    const target = `${STAGING}/staging-cluster`;
    // Held by this machine's login name, who owns it.
    const me = userInfo().username;
    const held = await runCli(['hold', '--target', target, '--for', '4h', '--reason', 'customer demo', '--holds-file', holdsFile]);
    expect(held.code, held.stderr).toBe(0);
    expect(held.stdout).toContain(`held by ${me} until `);

    const refused = await runCli(['run', '--plan', 'nightly-staging', '--dry-run', '--holds-file', holdsFile], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('RestoreRefused');
    // Said as what happened, not as a resolved plan nor as a job Atlas failed.
    expect(refused.stdout).toMatch(/create {2}dry run refused: cluster "staging-cluster"/);
    expect(refused.stdout).not.toContain('created nothing');
    expect(refused.stderr).toMatch(/^The dry run was refused; nothing was created: RestoreRefused: cluster "staging-cluster"/);
    expect(refused.stderr).not.toContain('Atlas reported');
    // The report (printed as the notification that would be sent) says who, until when and why.
    expect(refused.stdout).toContain(`is held by ${me} until `);
    expect(refused.stdout).toContain('(reason: customer demo)');
    expect(sim.jobs()).toEqual([]);

    // Another person's hold (bob's, in the same file) is not this login's to release: exit 1 naming bob.
    const mine = JSON.parse(readFileSync(holdsFile, 'utf8')) as { heldBy: string }[];
    writeFileSync(holdsFile, JSON.stringify(mine.map((h) => ({ ...h, heldBy: 'bob' }))));
    const notMine = await runCli(['release', '--target', target, '--holds-file', holdsFile]);
    expect(notMine.code).toBe(1);
    expect(notMine.stderr).toContain('only bob or a hold administrator');
    writeFileSync(holdsFile, JSON.stringify(mine));

    const released = await runCli(['release', '--target', target, '--holds-file', holdsFile]);
    expect(released.code, released.stderr).toBe(0);
    const ok = await runCli(['run', '--plan', 'nightly-staging', '--dry-run', '--holds-file', holdsFile], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('target staging-cluster is not held');
  }, 180_000);

  it('hold names a bad target or duration and holds nothing', async () => {
    const holdsFile = join(mkdtempSync(join(tmpdir(), 'holds-')), 'holds.json');
    const bad = await runCli(['hold', '--target', 'staging-cluster', '--for', '4h', '--reason', 'x', '--holds-file', holdsFile]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--target staging-cluster: ');
    const long = await runCli(['hold', '--target', `${STAGING}/staging-cluster`, '--for', '40d', '--reason', 'x', '--holds-file', holdsFile]);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('--for 40d: must be a duration such as 90m, 4h or 2d, at most 30 days');
    expect(long.stderr).not.toMatch(/\n\s+at /);
    expect((await runCli(['holds', '--holds-file', holdsFile])).stdout).toContain('No target is held.');
  }, 60_000);

  it('names a missing credential without showing any value', async () => {
    const { code, stderr } = await runCli(['run', '--plan', 'nightly-staging', '--yes'], { ...env, MONGODB_ATLAS_PRIVATE_API_KEY: '' });
    // A mistake in the environment, said in one line like a mistake on the command line.
    expect(code).toBe(2);
    expect(stderr).toMatch(/MONGODB_ATLAS_PRIVATE_API_KEY|private/i);
    expect(stderr).not.toContain(ADMIN_KEY.publicKey);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 60_000);

  it('with --yes runs the restore to the end and prints the report', async () => {
    // The shipped plan polls every 30 s at first; a copy polling every 5 s keeps this test short.
    const plans = JSON.parse(readFileSync(join(ROOT, 'config/plans.json'), 'utf8'));
    const plan = plans.plans.find((p: { name: string }) => p.name === 'nightly-staging');
    plan.poll = { floorSeconds: 5, capSeconds: 30 };
    // Its masking step has no local stand-in outside the demo (it would end VERIFICATION_FAILED): this test is about the restore.
    delete plan.postRestore;
    const file = join(mkdtempSync(join(tmpdir(), 'plans-')), 'plans.json');
    writeFileSync(file, JSON.stringify(plans));
    const before = sim.cluster(STAGING, 'staging-cluster').dataVersion;
    const { code, stdout, stderr } = await runCli(['run', '--plan', 'nightly-staging', '--yes', '--plans', file], env);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Atlas Restore Succeeded');
    expect(sim.jobs()).toHaveLength(1);
    expect(sim.cluster(STAGING, 'staging-cluster').dataVersion).not.toBe(before);
  }, 120_000);

  it("run --help's point-in-time example works as shown (its plan exists, its time is in the window)", async () => {
    const help = (await runCli(['run', '--help'])).stdout;
    const shown = /\$ MONGODB_ATLAS_BASE_URL=\S+ MONGODB_ATLAS_PUBLIC_API_KEY=simadmin MONGODB_ATLAS_PRIVATE_API_KEY=\S+ npm run restore -- (run --plan \S+ --pit) \$\(\(\$\(date \+%s\) - (\d+)\)\) --yes\n/.exec(help);
    expect(shown, help).not.toBeNull();
    const pit = String(Math.floor(Date.now() / 1000) - Number(shown![2]));
    // Its own holds and history: the plan holds its target after a success.
    const dir = mkdtempSync(join(tmpdir(), 'pit-example-'));
    // The shipped plans with the example's plan polling every 5 s instead of 30 s at first: this test
    // is about the example's plan and time, not about the wait.
    const [, , plan] = shown![1]!.split(' '); // run --plan NAME --pit
    const plans = JSON.parse(readFileSync(join(ROOT, 'config/plans.json'), 'utf8'));
    const shipped = plans.plans.find((p: { name: string }) => p.name === plan);
    expect(shipped, `${plan} in config/plans.json`).toBeDefined();
    shipped.poll = { floorSeconds: 5, capSeconds: 30 };
    writeFileSync(join(dir, 'plans.json'), JSON.stringify(plans));
    const args = [...shown![1]!.split(' '), pit, '--yes', '--plans', join(dir, 'plans.json'), '--holds-file', join(dir, 'holds.json'), '--history-file', join(dir, 'history.json')];
    const { code, stdout, stderr } = await runCli(args, env);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Atlas Restore Succeeded');
    expect(stdout).toContain(`Point in time: ${new Date(Number(pit) * 1000).toISOString()}`);
  }, 180_000);

  it("run --help's dry-run example works as shown, with the environment it shows (the simulator's key)", async () => {
    const help = (await runCli(['run', '--help'])).stdout;
    const shown = /\$ MONGODB_ATLAS_BASE_URL=(\S+) MONGODB_ATLAS_PUBLIC_API_KEY=(\S+) MONGODB_ATLAS_PRIVATE_API_KEY=(\S+) npm run restore -- (run --plan \S+ --dry-run)\n/.exec(help);
    expect(shown, help).not.toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'dry-example-'));
    // The page's environment, with the simulator of this test at its own port.
    const pageEnv = { MONGODB_ATLAS_BASE_URL: sim.baseUrl, MONGODB_ATLAS_PUBLIC_API_KEY: shown![2]!, MONGODB_ATLAS_PRIVATE_API_KEY: shown![3]! };
    const { code, stdout, stderr } = await runCli([...shown![4]!.split(' '), '--holds-file', join(dir, 'holds.json'), '--history-file', join(dir, 'history.json')], pageEnv);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Dry run of plan nightly-staging');
  }, 60_000);
});
