import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HandlerName } from '../../lib/functions.js';
import { synthesizeWithBundles, type BundledSynth } from './support/bundled-synth.js';

/**
 * The one synth that really bundles (esbuild, no Docker): the other infra tests skip bundling to
 * stay fast. It checks what only a real bundle shows: the assets exist and the validated plans are
 * inlined where they are needed (create reads `process.env.RESTORE_PLANS_JSON`, replaced at build).
 * It runs in a child process so the bundler's progress lines stay out of the test output.
 */

let synth: BundledSynth;
let bundle: (name: HandlerName) => string;
beforeAll(async () => {
  synth = await synthesizeWithBundles();
  bundle = (name) => synth.bundles[name];
}, 240_000);

describe('real bundling', () => {
  it('writes a minified ESM bundle with a source map for each function', () => {
    for (const name of ['submitRestore', 'createRestore', 'pollRestore', 'cancelRestore', 'notifyRestore'] as const) {
      expect(existsSync(join(bundle(name), 'index.mjs')), name).toBe(true);
      expect(existsSync(join(bundle(name), 'index.mjs.map')), name).toBe(true);
    }
  });

  it('prints no bundler lines, as `cdk synth -q` should not (bin/app.ts quiets them the same way)', () => {
    expect(synth.output).not.toMatch(/Bundling asset|⚡ Done in|index\.mjs(\.map)?\s+\d/);
  });

  it('inlines the validated plans into the create bundle', () => {
    const code = readFileSync(join(bundle('createRestore'), 'index.mjs'), 'utf8');
    expect(code).toContain('nightly-staging');
    expect(code).not.toContain('process.env.RESTORE_PLANS_JSON');
  });

  it('keeps the plans out of bundles that do not need them', () => {
    expect(readFileSync(join(bundle('pollRestore'), 'index.mjs'), 'utf8')).not.toContain('nightly-staging');
  });
});

/**
 * Cold start is paid per byte and per module: these pin the import-graph choices that keep the
 * bundles small (npm run bench measures the load time).
 */
describe('what the bundles leave out', () => {
  const code = (name: HandlerName) => readFileSync(join(bundle(name), 'index.mjs'), 'utf8');
  const ALL = ['submitRestore', 'createRestore', 'pollRestore', 'cancelRestore', 'notifyRestore'] as const;

  it("takes only undici's HTTP client, not its index (fetch, WebSocket, caches, mocks)", () => {
    for (const name of ALL) expect(code(name), name).not.toContain('MockAgent');
  });

  it('imports zod as a namespace, so its locales are tree-shaken', () => {
    // A string of zod's Dutch locale: `import { z } from 'zod'` would bundle every locale.
    for (const name of ALL) expect(code(name), name).not.toContain('Ongeldige invoer');
  });

  it('keeps the DynamoDB client out of the functions that take no locks', () => {
    for (const name of ['pollRestore', 'cancelRestore'] as const) expect(code(name), name).not.toContain('@aws-sdk/client-dynamodb');
    expect(code('createRestore')).toContain('@aws-sdk/client-dynamodb');
  });

  it('keeps the schedule checks (cron-validate and its yup) in the bundles that read the plans only', () => {
    // The source map lists every module bundled; poll and cancel read no plans (functions/runtime/plans.ts).
    const sources = (name: HandlerName) => (JSON.parse(readFileSync(join(bundle(name), 'index.mjs.map'), 'utf8')) as { sources: string[] }).sources;
    const scheduleChecks = (name: HandlerName) => sources(name).filter((s) => /node_modules\/(cron-validate|yup)\//.test(s));
    for (const name of ['pollRestore', 'cancelRestore'] as const) expect(scheduleChecks(name), name).toEqual([]);
    for (const name of ['submitRestore', 'createRestore', 'notifyRestore'] as const) expect(scheduleChecks(name), name).not.toEqual([]);
  });

  it('keeps the Atlas client out of notify', () => {
    expect(code('notifyRestore')).not.toContain('vnd.atlas');
    expect(code('pollRestore')).toContain('vnd.atlas');
  });
});
