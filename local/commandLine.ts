import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closestName } from '../functions/core/domain/didYouMean.js';

/**
 * Command-line parsing for the local tools (the CLI, the bench) with mistakes reported in our
 * words: Node's parseArgs throws ERR_PARSE_ARGS_* errors whose text is written for programmers
 * and which, uncaught, arrive as a stack trace. Here every mistake is a UsageError with one line
 * saying what is wrong, which the tools print and exit 2 on.
 */

export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandLineSpec<O extends Options> {
  options: O;
  /** Whether bare words (commands) are accepted. */
  positionals: boolean;
}

/** Checks every token first, so that the strict parse that follows cannot fail in Node's words. */
function check<O extends Options>(args: string[], spec: CommandLineSpec<O>): void {
  const { tokens } = parseArgs({ args, options: spec.options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (!spec.positionals) throw new UsageError(`unexpected argument "${token.value}" (this command takes options only)`);
      continue;
    }
    if (token.kind !== 'option') continue;
    const option = spec.options[token.name];
    if (!option) {
      const guess = closestName(token.name, Object.keys(spec.options));
      throw new UsageError(`unknown option ${token.rawName}${guess ? `: did you mean --${guess}?` : ''}`);
    }
    if (option.type === 'boolean' && token.value !== undefined) throw new UsageError(`--${token.name} takes no value`);
    if (option.type === 'string') {
      if (token.value === undefined) throw new UsageError(`--${token.name} needs a value`);
      // `--plan --dry-run`: a forgotten value, not a plan called "--dry-run" (use --plan=-x for that).
      if (!token.inlineValue && token.value.startsWith('-')) throw new UsageError(`--${token.name} needs a value (got the option ${token.value})`);
    }
  }
}

export function parseCommandLine<O extends Options>(args: string[], spec: CommandLineSpec<O>) {
  check(args, spec);
  try {
    return parseArgs({ args, options: spec.options, strict: true, allowPositionals: spec.positionals });
  } catch (error) {
    // Not expected after check(); still one line, never Node's stack.
    throw new UsageError((error as Error).message.split('. ')[0] ?? 'the command line could not be read');
  }
}

/** How a tool's error ends it: exit 2 with one line for a usage mistake, 1 with one line for any other error. */
export function failureOf(error: unknown, help: string, isUsage: (e: unknown) => boolean = () => false): { code: 1 | 2; line: string } {
  const message = error instanceof Error ? error.message : String(error);
  const usage = error instanceof UsageError || isUsage(error);
  // A message that already names its help page (the CLI's, per command) keeps it.
  const hint = usage && !/--help\)$/.test(message) ? ` (${help})` : '';
  return { code: usage ? 2 : 1, line: `error: ${message}${hint}\n` };
}

/**
 * Runs a tool's main and turns its end into an exit code: 0/1 as it returns, 2 with one line for
 * a usage mistake, 1 with one line for any other error. People get the message, never a stack.
 */
export function exitWith(main: Promise<number>, help: string, isUsage: (e: unknown) => boolean = () => false): void {
  main.then(
    (code) => process.exit(code),
    (error: unknown) => {
      const { code, line } = failureOf(error, help, isUsage);
      process.stderr.write(line);
      process.exit(code);
    },
  );
}
