import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRestoreApp } from '../../lib/app.js';
import type { HandlerName } from '../../lib/functions.js';
import { fixturePlans } from './helpers.js';

/**
 * The one synth that really bundles (esbuild, no Docker): the other infra tests skip bundling to
 * stay fast. It checks what only a real bundle shows: the assets exist and the validated plans are
 * inlined where they are needed (create reads `process.env.RESTORE_PLANS_JSON`, replaced at build).
 */

let outdir: string;
let bundle: (name: HandlerName) => string;
beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'bundle-'));
  const { app, stack } = buildRestoreApp({ plansConfig: fixturePlans, outdir, nag: false });
  app.synth();
  const template = Template.fromStack(stack);
  const functions = template.findResources('AWS::Lambda::Function');
  bundle = (name) => {
    const logicalId = stack.resolve(stack.getLogicalId(stack.functions.byName(name).node.defaultChild as never)) as string;
    const key = functions[logicalId]!.Properties.Code.S3Key as string;
    return join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
  };
}, 60_000);

describe('real bundling', () => {
  it('writes a minified ESM bundle with a source map for each function', () => {
    for (const name of ['submitRestore', 'createRestore', 'pollRestore', 'cancelRestore', 'notifyRestore'] as const) {
      expect(existsSync(join(bundle(name), 'index.mjs')), name).toBe(true);
      expect(existsSync(join(bundle(name), 'index.mjs.map')), name).toBe(true);
    }
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

  it('keeps the Atlas client out of notify', () => {
    expect(code('notifyRestore')).not.toContain('vnd.atlas');
    expect(code('pollRestore')).toContain('vnd.atlas');
  });
});
