/**
 * CDK writes "Bundling asset <path>..." to stderr for every function on every synth, and the CDK
 * CLI passes an app's stderr through even with `cdk synth -q`; with esbuild's own summary
 * silenced (bundling `logLevel: error`, ./functions.ts) this line is all that is left of the
 * bundler's chatter. Synth's output is kept to what needs reading: errors, warnings, nag findings.
 */
const BUNDLING_PROGRESS = /^Bundling asset [^\n]*\.\.\.\r?\n?$/;

/** Drops CDK's bundling progress lines from a stream; everything else passes unchanged. */
export function quietBundling(stream: NodeJS.WriteStream = process.stderr): void {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && BUNDLING_PROGRESS.test(chunk)) {
      // Node calls the callback of a write it took; a dropped line is "taken" too.
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }
    return write(chunk, ...rest);
  }) as typeof stream.write;
}
