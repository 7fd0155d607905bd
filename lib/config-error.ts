/**
 * A mistake in what the person deploying gave synth (a context value, the plans file), as opposed
 * to a failure of synth itself. bin/app.ts prints its message as one line and exits 2 (fix the input
 * and run again); anything else exits 1. Messages name the key or the plan and setting.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
