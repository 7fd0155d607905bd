import { readFileSync } from 'node:fs';
import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handleApiRequest, servedRoutes } from '../../../functions/core/api/routes.js';
import { docDeps, runningRestore } from './docExamples.js';
import { apiEvent } from './fixtures.js';

/**
 * docs/api.md against the live handler: its route table lists every route served, and every
 * curl / awscurl call in it, sent as written, is answered 2xx.
 */

const API_MD = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');
const sfn = mockClient(SFNClient);
beforeEach(() => runningRestore(sfn));

/** Shell words of a bash block: quotes kept together, `\` line continuations joined, `#` comments and `>` redirects dropped. */
function shellCommands(block: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  const end = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const text = block.replace(/\\\n/g, ' ');
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      word = (word ?? '') + text.slice(i + 1, close);
      i = close;
    } else if (c === '#' && word === undefined) i = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i) - 1;
    else if (c === ' ' || c === '\t') end();
    else if (c === '\n') {
      end();
      if (words.length) commands.push(words);
      words = [];
    } else word = (word ?? '') + c;
  }
  end();
  if (words.length) commands.push(words);
  return commands.map((w) => (w.includes('>') ? w.slice(0, w.indexOf('>')) : w));
}

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** The HTTP request a curl or awscurl command line sends. */
function callOf(words: string[]): Call {
  const call: Call = { method: 'GET', url: '', headers: {} };
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-X') call.method = words[++i]!;
    else if (w === '-H') {
      const [name, ...value] = words[++i]!.split(':');
      call.headers[name!.trim()] = value.join(':').trim();
    } else if (w === '-d') call.body = words[++i]!;
    else if (['--service', '--region', '--aws-sigv4', '--user'].includes(w)) i++;
    else if (w.startsWith('$API_URL')) call.url = w;
    else throw new Error(`docs/api.md: an option the test does not know: ${w}`);
  }
  return call;
}

const calls = [...API_MD.matchAll(/```bash\n([\s\S]*?)```/g)]
  .flatMap((m) => shellCommands(m[1]!))
  .filter((words) => words[0] === 'curl' || words[0] === 'awscurl')
  .map(callOf);

describe('docs/api.md', () => {
  it('lists every route the handler serves in its route table', () => {
    const table = new Set([...API_MD.matchAll(/^\| `(\w+ \/[^`]*)`/gm)].map((m) => m[1]!));
    for (const route of servedRoutes()) expect({ route, listed: table.has(route) }).toEqual({ route, listed: true });
  });

  it('drops the trailing slash of ApiUrl before it appends a path', () => {
    expect(API_MD).toContain('API_URL=${API_URL%/}');
    expect(calls.every((c) => c.url.startsWith('$API_URL/') && !c.url.startsWith('$API_URL//'))).toBe(true);
  });

  it.each(calls.map((c) => [`${c.method} ${c.url}`, c] as const))('%s is answered 2xx', async (_name, call) => {
    const url = new URL(call.url.replace('$API_URL', 'https://api.example/v1'));
    const path = decodeURIComponent(url.pathname.replace(/^\/v1/, ''));
    const deps = await docDeps(path.startsWith('/restores/holds/'));
    const query = Object.fromEntries(url.searchParams);
    const event = apiEvent({
      method: call.method,
      path,
      headers: call.headers,
      ...(Object.keys(query).length ? { query } : {}),
      ...(call.body !== undefined ? { body: call.body } : {}),
    });
    const res = await handleApiRequest(event, deps);
    expect({ status: res.statusCode, body: JSON.parse(res.body) }).toMatchObject({ status: expect.toSatisfy((s: number) => s >= 200 && s < 300) });
  });

  it('finds the calls it checks', () => {
    expect(calls.length).toBeGreaterThanOrEqual(10);
  });
});
