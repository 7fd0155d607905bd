import './quiet.js';
import { ConfigError } from '../lib/config-error.js';
import { exitWith } from './commandLine.js';
import { HoldUsageError } from './commands/holds.js';
import { terminalOutput } from './commands/output.js';
import { main } from './program.js';

/**
 * The local runner (`npm start`, `npm run restore -- <command>`): demo, run, hold|release|holds,
 * remote start|status|cancel|follow|hold|release|holds. `npm run restore -- <command> --help` has
 * each one's options, examples and environment variables (./program.ts).
 */

// One line for any mistake, exit 2 for usage (with where to read it), 1 for failures.
// A broken plans file is the caller's input too: exit 2, like a bad option.
exitWith(main(process.argv.slice(2), terminalOutput()), 'see npm run restore -- --help', (e) => e instanceof HoldUsageError || e instanceof ConfigError);
