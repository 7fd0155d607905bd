import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository's root: the tools run from there, as `npm run …` runs them. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const exec = promisify(execFile);

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
  /** With `recordImports`: the URL of every module the process resolved (./recordImports.ts). */
  imports?: string[];
}

/**
 * Runs one of our TypeScript entry points as a person does: a child node process (tsx), its exit
 * code and what it printed, never a thrown error. `env` is added to this process's environment.
 */
export async function runTool(
  script: string,
  args: string[],
  options: { env?: Record<string, string | undefined>; timeoutMs?: number; recordImports?: boolean } = {},
): Promise<ToolResult> {
  const record = options.recordImports ? join(mkdtempSync(join(tmpdir(), 'imports-')), 'imports.txt') : undefined;
  const recorder = record ? ['--import', fileURLToPath(new URL('./recordImports.ts', import.meta.url))] : [];
  const result = await exec(process.execPath, ['--import', 'tsx', ...recorder, script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env, ...(record ? { RECORD_IMPORTS_TO: record } : {}) },
    timeout: options.timeoutMs ?? 120_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: unknown) => {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    },
  );
  return record ? { ...result, imports: readFileSync(record, 'utf8').split('\n') } : result;
}

/** The restore CLI (local/cli.ts) without a terminal and without colour, as CI runs it. */
export const cli = (args: string[], env: Record<string, string> = {}): Promise<ToolResult> =>
  runTool('local/cli.ts', args, { env: { CI: 'true', NO_COLOR: '1', ...env } });
