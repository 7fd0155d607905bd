import { buildSync } from 'esbuild';
import { PROJECT_ROOT } from '../lib/functions.js';

/**
 * A handler's floor: a bundle that only imports and instantiates what that handler cannot do
 * without — the AWS SDK clients its bundle imports, the undici modules we use (if it speaks HTTP),
 * zod — built with the same esbuild options as CDK's. What a handler costs above its floor is ours.
 */

/** The client class of each SDK package our bundles import. */
const CLIENT_CLASS: Record<string, string> = {
  'client-dynamodb': 'DynamoDBClient',
  'client-eventbridge': 'EventBridgeClient',
  'client-secrets-manager': 'SecretsManagerClient',
  'client-sfn': 'SFNClient',
  'client-sns': 'SNSClient',
};

export interface FloorNeeds {
  /** SDK packages, e.g. client-sns. */
  clients: string[];
  undici: boolean;
}

/** What a built handler bundle needs, read off its code: the SDK imports esbuild left external, and undici's code. */
export function floorNeeds(bundleCode: string): FloorNeeds {
  const clients = [...new Set([...bundleCode.matchAll(/["']@aws-sdk\/(client-[a-z0-9-]+)["']/g)].map((m) => m[1]!))].sort();
  for (const c of clients) if (!CLIENT_CLASS[c]) throw new Error(`bench/floors.ts: no client class known for @aws-sdk/${c}`);
  // A string from undici's Agent, which the bundles take from undici/lib/dispatcher/agent.js.
  return { clients, undici: bundleCode.includes('UND_ERR') };
}

export function floorSource({ clients, undici }: FloorNeeds): string {
  const lines = [
    "import * as z from 'zod';",
    ...clients.map((c) => `import { ${CLIENT_CLASS[c]} } from '@aws-sdk/${c}';`),
    ...(undici
      ? [
          "import Agent from 'undici/lib/dispatcher/agent.js';",
          "import request from 'undici/lib/api/api-request.js';",
          "import undiciGlobal from 'undici/lib/global.js';",
        ]
      : []),
    'const kept = [];',
    "kept.push(z.object({ id: z.string().regex(/^[a-f0-9]{24}$/), at: z.iso.datetime() }).safeParse({ id: 'x', at: 'y' }));",
    ...clients.map((c) => `kept.push(new ${CLIENT_CLASS[c]}({ region: 'us-east-1' }));`),
    ...(undici ? ['kept.push(new Agent(), request, undiciGlobal.getGlobalDispatcher);'] : []),
    'export const floor = kept;',
  ];
  return `${lines.join('\n')}\n`;
}

/** Bundles a floor as CDK bundles the handlers (lib/functions.ts): minified ESM for node24, @aws-sdk/* external. */
export function buildFloor(needs: FloorNeeds, outfile: string): void {
  buildSync({
    stdin: { contents: floorSource(needs), resolveDir: PROJECT_ROOT, loader: 'ts', sourcefile: 'floor.ts' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    external: ['@aws-sdk/*'],
    mainFields: ['module', 'main'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'silent',
  });
}
