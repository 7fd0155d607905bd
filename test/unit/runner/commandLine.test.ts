import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../../local/commandLine.js';

const SPEC = {
  positionals: true,
  options: {
    plan: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    skip: { type: 'string', multiple: true, default: [] as string[] },
  },
} as const;

function mistake(args: string[], spec: Parameters<typeof parseCommandLine>[1] = SPEC): string {
  try {
    parseCommandLine(args, spec);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('reading a command line', () => {
  it('reads what is right', () => {
    const { values, positionals } = parseCommandLine(['run', '--plan', 'nightly', '--dry-run', '--skip', 'a', '--skip=b'], SPEC);
    expect(positionals).toEqual(['run']);
    expect(values).toEqual({ plan: 'nightly', 'dry-run': true, skip: ['a', 'b'] });
    expect(parseCommandLine(['--plan=-odd'], SPEC).values.plan).toBe('-odd');
  });

  it.each([
    [['--plna', 'x'], 'unknown option --plna: did you mean --plan?'],
    [['--frobnicate'], 'unknown option --frobnicate'],
    [['-x'], 'unknown option -x'],
    [['--plan'], '--plan needs a value'],
    [['--plan', '--dry-run'], '--plan needs a value (got the option --dry-run)'],
    [['--dry-run=yes'], '--dry-run takes no value'],
  ])('%j: %s', (args, message) => {
    expect(mistake(args)).toBe(message);
  });

  it('refuses a bare word where only options are taken', () => {
    expect(mistake(['extra'], { ...SPEC, positionals: false })).toBe('unexpected argument "extra" (this command takes options only)');
  });

  it('never lets Node word the mistake', () => {
    for (const args of [['--nope'], ['--plan'], ['--dry-run=1'], ['--plan', '-x']]) expect(mistake(args)).not.toMatch(/ERR_PARSE_ARGS|To specify/);
  });
});
