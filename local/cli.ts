import './quiet.js';
import { terminalOutput } from './commands/output.js';
import { runCommandLine } from './program.js';

/**
 * The local runner (`npm start`, `npm run restore -- <command>`): demo, run, hold|release|holds,
 * remote start|status|cancel|follow|hold|release|holds. `npm run restore -- <command> --help` has
 * each one's options, examples and environment variables (./program.ts).
 */

runCommandLine(process.argv.slice(2), terminalOutput(), (line) => process.stderr.write(line)).then((code) => process.exit(code));
