import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { API_STAGE } from '../../../lib/api.js';
import type { Output } from '../../../local/commands/output.js';
import { buildProgram, main } from '../../../local/program.js';
import { ROOT, runTool } from './childProcess.js';

/**
 * The CLI's help pages and option checks, in this process (fast): every command's page has
 * Examples and an Environment section, every example parses with the program's own parser, and
 * every option with a rule refuses a bad value in one line naming the flag and the help page.
 * cli.test.ts runs the same tool as a child process for the exit codes.
 */

function collector(): Output & { text: () => string } {
  const lines: string[] = [];
  const push = (t: string) => void lines.push(t);
  return { color: false, line: push, heading: push, box: push, error: push, text: () => lines.join('\n') };
}

function allCommands(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  return [{ path, command }, ...command.commands.flatMap((c) => allCommands(c, [...path, c.name()]))];
}

function helpOf(path: string[]): string {
  const out = collector();
  const program = buildProgram(out, () => undefined);
  const found = allCommands(program).find((c) => c.path.join(' ') === path.join(' '))!;
  found.command.outputHelp();
  return out.text();
}

const pages = allCommands(buildProgram(collector(), () => undefined)).map((c) => c.path);

/** `$ npm run restore -- …` lines of a page, as argv and the environment assignments before them. */
function examplesOf(help: string): { line: string; env: Record<string, string>; args: string[] }[] {
  return help
    .split('\n')
    .map((l) => /^\s+\$ (.*)$/.exec(l)?.[1])
    .filter((l): l is string => !!l && l.includes('npm run restore --'))
    .map((line) => {
      const [before, after] = line.split('npm run restore --') as [string, string];
      const env = Object.fromEntries(before.trim().split(/\s+/).filter(Boolean).map((a) => a.split('=', 2) as [string, string]));
      // Shell words: quoted strings kept whole; a redirect ends the command; $((…)) is a number here.
      const words = [...after.replace(/\$\(\(.*?\)\)\)?/g, String(Math.floor(Date.now() / 1000) - 3600)).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
      const end = words.indexOf('>');
      return { line, env, args: end < 0 ? words : words.slice(0, end) };
    });
}

describe('help pages', () => {
  it('walks more than the top page', () => {
    expect(pages.map((p) => p.join(' '))).toEqual(expect.arrayContaining(['', 'run', 'holds', 'alerts', 'alerts setup', 'remote', 'remote start', 'remote holds']));
  });

  it.each(pages.map((p) => [p.join(' ') || '(top)', p] as const))('%s --help has Examples and an Environment section', (_, path) => {
    const help = helpOf(path);
    expect(help).toMatch(/\nExamples:\n {2}\$ /);
    expect(help).toMatch(/\nEnvironment[^\n]*:[ \n]+\S/);
  });

  it("examples that call a deployed stack use the stack's API stage", () => {
    const urls = pages.flatMap((p) => helpOf(p).match(/https:\/\/\S+execute-api\S+/g) ?? []);
    expect(urls.length).toBeGreaterThan(5);
    for (const url of urls) expect(url).toMatch(new RegExp(`\\.amazonaws\\.com/${API_STAGE}/`));
  });

  it('hold says who holds it (the login name) and reads no environment', () => {
    const hold = helpOf(['hold']);
    expect(hold).not.toContain('$USER');
    expect(hold).toContain('Environment: none');
  });
});

describe('every example in the help pages parses with the program', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const examples = [...new Map(pages.flatMap((p) => examplesOf(helpOf(p))).map((e) => [e.line, e])).values()];

  it('finds the examples', () => expect(examples.length).toBeGreaterThan(15));

  it.each(examples.map((e) => [e.line, e] as const))('%s', async (_, example) => {
    Object.assign(process.env, { ATLAS_RESTORE_API_URL: '' }, example.env);
    // The program as main builds it, with every action replaced: the line is read and checked
    // (option values, required options), and nothing is run.
    const program = buildProgram(collector(), () => undefined);
    let ran = 0;
    for (const { command } of allCommands(program)) if (command.commands.length === 0) command.action(() => void ran++);
    program.exitOverride();
    try {
      await program.parseAsync(example.args, { from: 'user' });
    } catch (error) {
      // `run --help` as an example: a help page shown, which is not a mistake.
      expect((error as { exitCode?: number }).exitCode, String(error)).toBe(0);
      return;
    }
    expect(ran).toBe(1);
  });
});

describe('help pages list only what each command reads', () => {
  it('ATLAS_RESTORE_WEBHOOK_URL is on the run page only: no other command posts to a webhook', () => {
    for (const path of pages) {
      const text = helpOf(path);
      if (path.join(' ') === 'run') expect(text).toContain('ATLAS_RESTORE_WEBHOOK_URL');
      else expect(text, path.join(' ')).not.toContain('ATLAS_RESTORE_WEBHOOK_URL');
    }
  });

  it('--every is on remote start and remote follow only, where something is followed', () => {
    const withEvery = pages.filter((p) => helpOf(p).includes('--every')).map((p) => p.join(' '));
    expect(withEvery.sort()).toEqual(['remote follow', 'remote start']);
  });
});

describe('every option with a rule refuses a bad value: one line naming the flag and the help page', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const API = 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1/';
  it.each([
    [['run', '--plan', 'a b'], '--plan a b: must be 1-64 letters', 'run'],
    [['run', '--plan', 'nope'], '--plan nope: no such plan in config/plans.json (plans: nightly-staging', 'run'],
    [['run', '--plan', 'nightly-staging', '--dry-run', '--snapshot', 'xyz'], '--snapshot xyz: must be a 24-character lowercase hex id', 'run'],
    [['run', '--plan', 'x', '--pit', '1'], '--pit 1: must be at least 1199145600', 'run'],
    [['run', '--plan', 'x', '--pit', '99999999999'], '--pit 99999999999: must fit in 32 bits', 'run'],
    [['run', '--plan', 'x', '--pit', 'yesterday'], '--pit yesterday: must be a point in time: ISO 8601 such as 2026-12-01T03:00:00Z, or UTC seconds', 'run'],
    [['run', '--plan', 'x', '--pit', '1767225600.5'], '--pit 1767225600.5: must be a point in time: ISO 8601 such as 2026-12-01T03:00:00Z, or UTC seconds', 'run'],
    [['run', '--plan', 'x', '--pit', '2026-02-30T00:00:00Z'], '--pit 2026-02-30T00:00:00Z: must be a point in time: ISO 8601', 'run'],
    [['run', '--plan', 'x', '--pit', '2026-01-01junk'], '--pit 2026-01-01junk: must be a point in time: ISO 8601', 'run'],
    [['run', '--plan', 'recover-prod-before-alarm', '--pit', '2037-01-01T00:00:00Z', '--yes'], '--pit 2037-01-01T00:00:00.000Z: must not be in the future', 'run'],
    [['run', '--plan', 'download-prod-latest', '--pit', '1767225600', '--yes'], '--pit 2026-01-01T00:00:00.000Z: is not allowed by plan "download-prod-latest" (its allowOverrides: snapshotId)', 'run'],
    [['run', '--plan', 'recover-prod-before-alarm', '--snapshot', '65f1b0000000000000000106', '--dry-run'], '--snapshot 65f1b0000000000000000106: is not allowed by plan "recover-prod-before-alarm"', 'run'],
    [['remote', 'status', '--api', API, '--id', 'r1', '--every', '5'], "unknown option '--every'", 'remote status'],
    [['remote', 'cancel', '--api', API, '--id', 'r1', '--every', '5'], "unknown option '--every'", 'remote cancel'],
    [['serve', '--host', '0.0.0.0'], '--host 0.0.0.0: the local API has no authentication, so it binds to loopback only', 'serve'],
    [['serve', '--port', '70000'], '--port 70000: must be a port number from 0 to 65535', 'serve'],
    [['run', '--plan', 'x', '--restore-id', 'bad id!', '--dry-run'], '--restore-id bad id!: must be 1-80 characters of letters, digits, - or _', 'run'],
    [['hold', '--target', 'x', '--for', '4h', '--reason', 'r'], '--target x: ', 'hold'],
    [['hold', '--target', '65f1a0000000000000000002/staging-cluster', '--for', '40d', '--reason', 'r'], '--for 40d: must be a duration', 'hold'],
    [['hold', '--target', '65f1a0000000000000000002/staging-cluster', '--for', '4h', '--reason', ' '], '--reason  : must not be empty', 'hold'],
    [['release', '--target', '65f1a0000000000000000002'], '--target 65f1a0000000000000000002: give it as <groupId>/<clusterName>', 'release'],
    [['history', '--format', 'xml'], '--format xml: must be one of table, csv, json', 'history'],
    [['history', '--since', 'yesterday'], '--since yesterday: must be a number of days or hours', 'history'],
    [['history', '--plan', 'x/y'], '--plan x/y: must be 1-64 letters', 'history'],
    [['history', '--api', 'notaurl', '--plan', 'x'], '--api notaurl: must be the stack output ApiUrl, an http(s) URL', 'history'],
    [['history', '--api', API, '--region', 'Europe'], '--region Europe: must be an AWS region such as eu-west-1', 'history'],
    [['alerts', 'check', '--project', 'abc', '--url', `${API}alerts`], '--project abc: must be a 24-character lowercase hex id', 'alerts check'],
    [['alerts', 'setup', '--project', '65f1a0000000000000000001', '--url', 'http://example.com/alerts'], '--url must use https', 'alerts setup'],
    [['remote', 'start', '--api', 'notaurl', '--plan', 'x'], '--api notaurl: must be the stack output ApiUrl', 'remote start'],
    [['remote', 'start', '--api', 'ftp://x/', '--plan', 'x'], '--api ftp://x/: must be the stack output ApiUrl', 'remote start'],
    [['remote', 'start', '--api', API, '--plan', 'x', '--key', 'bad key!'], '--key bad key!: must be 1-80 characters', 'remote start'],
    [['remote', 'start', '--api', API, '--plan', 'x', '--every', '0'], '--every 0: must be a number of seconds, at least 1', 'remote start'],
    [['remote', 'status', '--api', API, '--id', 'bad id!'], '--id bad id!: must be 1-80 characters', 'remote status'],
    [['remote', 'cancel', '--api', API, '--id', 'x'.repeat(81)], `--id ${'x'.repeat(81)}: must be 1-80 characters`, 'remote cancel'],
    [['remote', 'hold', '--api', API, '--target', 'a/b', '--for', '4h', '--reason', 'r'], '--target a/b: ', 'remote hold'],
    [['remote', 'hold', '--api', API, '--target', '65f1a0000000000000000002/staging-cluster', '--for', 'soon', '--reason', 'r'], '--for soon: must be a duration', 'remote hold'],
    [['remote', 'holds', '--api', API, '--region', 'eu_west_1'], '--region eu_west_1: must be an AWS region', 'remote holds'],
  ])('%j', async (args, start, page) => {
    process.env.ATLAS_RESTORE_API_URL = '';
    const out = collector();
    const error = await main(args, out).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.name).toBe('CommandLineError');
    expect(error!.message.startsWith(start), error!.message).toBe(true);
    expect(error!.message).toMatch(new RegExp(`\\(see npm run restore -- ${page} --help\\)$`));
    expect(error!.message).not.toContain('\n');
    expect(out.text()).toBe('');
  });

  it('ATLAS_RESTORE_API_URL is checked like --api and named', async () => {
    process.env.ATLAS_RESTORE_API_URL = 'notaurl';
    await expect(main(['remote', 'holds'], collector())).rejects.toThrow(/^--api notaurl: .*ATLAS_RESTORE_API_URL.* \(see npm run restore -- remote holds --help\)$/);
  });
});

describe('npm run simulator -- --help', () => {
  it('documents the options docs/simulator.md lists, with examples and the environment', async () => {
    const { code, stdout, stderr } = await runTool('local/simulator/main.ts', ['--help']);
    expect(code, stderr).toBe(0);
    const documented = [...readFileSync(join(ROOT, 'docs/simulator.md'), 'utf8').matchAll(/^\| `(--[a-z-]+)( <\w+>)?` \|/gm)].map((m) => m[1]! + (m[2] ?? ''));
    expect(documented.length).toBeGreaterThanOrEqual(5);
    for (const option of documented) expect(stdout).toContain(`  ${option} `);
    const offered = [...stdout.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]);
    expect(offered.sort()).toEqual(documented.map((d) => d.split(' ')[0]).sort());
    expect(stdout).toMatch(/\nExamples:\n {2}\$ npm run simulator -- /);
    expect(stdout).toContain('Environment: none');
  }, 60_000);
});
