import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Bundles the example into `examples/verify-restore/dist/` (git-ignored), ready to zip and deploy
 * with handler `index.handler` on nodejs24.x: `npm run build:verify-restore [-- OUTDIR]`.
 *
 * The bundle is CommonJS (the driver's optional native add-ons stay external), and the folder gets a
 * package.json saying so: inside this repository, whose package.json says "type": "module", Node
 * would otherwise read `index.js` as ESM and fail to load it.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
/** Optional dependencies the driver loads only when asked for (Kerberos, compression, KMS, SOCKS): not bundled. */
const OPTIONAL = ['kerberos', '@mongodb-js/zstd', 'snappy', 'socks', 'aws4', 'mongodb-client-encryption', 'gcp-metadata', '@aws-sdk/*'];

export async function buildVerifyRestore(outdir = join(HERE, 'dist')): Promise<string> {
  // From empty: a file left by an earlier build must not make this one look complete.
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [join(HERE, 'index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    outfile: join(outdir, 'index.js'),
    external: OPTIONAL,
    logLevel: 'error',
  });
  writeFileSync(join(outdir, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  return outdir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outdir = await buildVerifyRestore(process.argv[2]);
  process.stdout.write(`built ${join(outdir, 'index.js')}\n`);
}
