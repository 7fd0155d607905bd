import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

/**
 * Loaded into a child process with `--import` (after tsx): records the URL of every module the
 * process resolves, `import` and `require` alike, and writes them, one a line, to the file named by
 * RECORD_IMPORTS_TO when the process exits. childProcess.ts's `runTool(..., { recordImports: true })`.
 */

const file = process.env.RECORD_IMPORTS_TO;
if (!file) throw new Error('RECORD_IMPORTS_TO is not set');
const seen = new Set<string>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    seen.add(resolved.url);
    return resolved;
  },
});
process.on('exit', () => writeFileSync(file, [...seen].join('\n')));
