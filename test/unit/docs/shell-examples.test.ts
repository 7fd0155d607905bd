import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeBlocks, readDoc } from '../../support/markdown.js';

/**
 * The shell examples people paste (issue 13): `$API_URL/restores` must not become `//restores`
 * (the stack's `ApiUrl` output ends in `/`), and a request with a body must say it is JSON (the
 * API answers 415 otherwise).
 */

const DOCS = ['README.md', ...readdirSync(new URL('../../../docs/', import.meta.url)).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const SHELL = new Set(['bash', 'sh', 'shell', 'console', 'zsh']);

/** A `#` that starts a comment: outside quotes, at the start or after a blank. */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

/** The commands of a shell block, continuation lines joined, comments dropped. */
export function commands(body: string): string[] {
  const joined = body.split('\n').map(withoutComment).join('\n').replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((c) => c.trim())
    .filter(Boolean);
}

const USES_API_PATH = /\$\{?API_URL\}?\//;
const STRIPS_SLASH = /^API_URL=("?)\$\{API_URL%\/\}\1$/;
const SENDS_BODY = /(^|\s)(-d|--data|--data-raw|--data-binary)(\s|=|$)/;
const SAYS_JSON = /(-H|--header)\s*=?\s*(['"])content-type:\s*application\/json\2/i;

/** Mistakes in one document's shell blocks, each naming the file and the block's line. */
export function shellMistakes(file: string, text: string): string[] {
  const mistakes: string[] = [];
  // Whether API_URL is known to have no trailing slash at this point of the document.
  let stripped = false;
  for (const block of codeBlocks(text).filter((b) => SHELL.has(b.lang))) {
    for (const command of commands(block.body)) {
      const where = `${file}:${block.line}: ${command.slice(0, 80)}`;
      if (/^API_URL=/.test(command)) {
        // Stripped, or a URL written out without the slash (https, or http for the local serve); anything else (the stack output) may end in "/".
        stripped = STRIPS_SLASH.test(command) || /^API_URL=(["']?)https?:\/\/\S*[^/"']\1$/.test(command);
        continue;
      }
      if (USES_API_PATH.test(command) && !stripped) mistakes.push(`${where}: $API_URL may end in "/" here (set it with API_URL=\${API_URL%/} first)`);
      if (/^(aws)?curl\s/.test(command) && SENDS_BODY.test(command) && !SAYS_JSON.test(command))
        mistakes.push(`${where}: sends a body without -H 'Content-Type: application/json'`);
    }
  }
  return mistakes;
}

describe('shell examples in the docs', () => {
  it('finds both mistakes where they are', () => {
    const doc = [
      '```bash',
      'API_URL=$(aws cloudformation describe-stacks --query x --output text)',
      'awscurl --service execute-api -X POST "$API_URL/restores" \\',
      "  -d '{\"plan\": \"p\"}'   # a comment",
      '```',
      '```bash',
      'API_URL=${API_URL%/}',
      "awscurl -X POST \"$API_URL/restores\" -H 'content-type: application/json' -d '{}'",
      'awscurl "$API_URL/restores/x"',
      '```',
    ].join('\n');
    expect(shellMistakes('doc.md', doc)).toEqual([
      'doc.md:1: awscurl --service execute-api -X POST "$API_URL/restores"    -d \'{"plan": "p"}\': $API_URL may end in "/" here (set it with API_URL=${API_URL%/} first)',
      'doc.md:1: awscurl --service execute-api -X POST "$API_URL/restores"    -d \'{"plan": "p"}\': sends a body without -H \'Content-Type: application/json\'',
    ]);
  });

  it('takes a URL written out without the slash as safe, http (the local serve) or https', () => {
    for (const url of ['http://127.0.0.1:8080', 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1'])
      expect(shellMistakes('doc.md', ['```bash', `API_URL=${url}`, 'curl "$API_URL/restores/x"', '```'].join('\n')), url).toEqual([]);
    expect(shellMistakes('doc.md', ['```bash', 'API_URL=http://127.0.0.1:8080/', 'curl "$API_URL/restores/x"', '```'].join('\n'))).toHaveLength(1);
  });

  it.each(DOCS)('%s: no "//restores" from ApiUrl\'s trailing slash, and every body sent as JSON', (file) => {
    expect(shellMistakes(file, readDoc(file))).toEqual([]);
  });
});
