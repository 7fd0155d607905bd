import { terminalOutput } from '../../../local/commands/output.js';
import { runCommandLine } from '../../../local/program.js';
import type { ToolResult } from './childProcess.js';

/**
 * The restore CLI in this process: the same `runCommandLine` local/cli.ts runs, with what it prints
 * captured and the exit code returned, without a terminal and without colour, as `cli` in
 * ./childProcess.ts runs it in a child. A test whose point is the process itself (the exit, the quiet
 * Powertools, the loaded modules, no terminal on stdin) keeps the child; the rest run here, without
 * loading CDK once per case. `env` is set for the run and restored after it (cases run one at a time).
 */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<ToolResult> {
  let stdout = '';
  let stderr = '';
  const streams = {
    out: { isTTY: false, write: (text: string) => (stdout += text) },
    err: { write: (text: string) => (stderr += text) },
  };
  const given = { CI: 'true', NO_COLOR: '1', ...env };
  const saved = Object.fromEntries(Object.keys(given).map((name) => [name, process.env[name]]));
  Object.assign(process.env, given);
  try {
    const code = await runCommandLine(args, terminalOutput(streams.out, streams.err), (line) => void (stderr += line));
    return { code, stdout, stderr };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
