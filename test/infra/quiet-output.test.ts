import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { synthesize } from './helpers.js';

/**
 * `npm test` prints the test runner's output and nothing else (issue 13): no CDK "Bundling asset"
 * lines and no esbuild summaries between the results.
 */

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLER_LINES = /Bundling asset|⚡ Done in|index\.mjs\.map\s/;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('quiet test runs', () => {
  it('a synth made for assertions does not bundle at all (skipping is also what keeps it fast)', () => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    synthesize();
    expect(writes.join('')).not.toMatch(BUNDLER_LINES);
  });

  it('the test that needs real bundles passes and prints only what vitest prints', async () => {
    // A clean environment: the child is a vitest of its own, not a worker of this one.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
    const { stdout, stderr } = await exec(
      process.execPath,
      ['node_modules/vitest/vitest.mjs', 'run', '--project', 'infra', 'test/infra/bundling.test.ts'],
      { cwd: ROOT, env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' }, maxBuffer: 16 * 1024 * 1024, timeout: 240_000 },
    );
    const output = stdout + stderr;
    expect(output).toMatch(/Test Files\s+1 passed/);
    expect(output).not.toMatch(BUNDLER_LINES);
  }, 240_000);
});
