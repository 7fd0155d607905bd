import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository's root: the tools run from there, as `npm run …` runs them. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const exec = promisify(execFile);

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of our TypeScript entry points as a person does: a child node process (tsx), its exit
 * code and what it printed, never a thrown error. `env` is added to this process's environment.
 */
export async function runTool(script: string, args: string[], options: { env?: Record<string, string | undefined>; timeoutMs?: number } = {}): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      timeout: options.timeoutMs ?? 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The restore CLI (local/cli.ts) without a terminal and without colour, as CI runs it. */
export const cli = (args: string[], env: Record<string, string> = {}): Promise<ToolResult> =>
  runTool('local/cli.ts', args, { env: { CI: 'true', NO_COLOR: '1', ...env } });
