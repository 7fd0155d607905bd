import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readDoc } from '../../support/markdown.js';

/**
 * Every relative link in README.md and docs/*.md points at a file that exists, and every `#anchor`
 * at a heading of that page: sections move between pages (issue 25 moved most of README into
 * docs/), and a link left behind would send the reader nowhere.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Text outside fenced code blocks and inline code spans, where a link is a link. */
function prose(text: string): string {
  let inFence = false;
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*```/.test(line)) {
        inFence = !inFence;
        return '';
      }
      return inFence ? '' : line.replace(/`[^`\n]*`/g, '``');
    })
    .join('\n');
}

/** The targets of `[text](target)` links, external ones (a scheme, e.g. https:) left out. */
function relativeLinks(text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

/** The anchors GitHub makes of a page's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let inFence = false;
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    const heading = !inFence && line.match(/^#{1,6}\s+(.*?)\s*#*\s*$/);
    if (!heading) continue;
    const words = heading[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // a link's text
      .replace(/&[a-z]+;|&#\d+;/gi, '') // entities render as punctuation, which is dropped
      .replace(/[`*_~]/g, (c) => (c === '_' ? '_' : ''));
    const slug = words
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n ? `${slug}-${n}` : slug);
  }
  return anchors;
}

/** What is wrong with each link of `file` (a path from the repository root); empty when all lead somewhere. */
function brokenLinks(file: string, text: string, root = ROOT): string[] {
  const problems: string[] = [];
  for (const link of relativeLinks(text)) {
    const [path, anchor] = link.split('#', 2) as [string, string | undefined];
    const target = path ? normalize(join(dirname(file), decodeURIComponent(path))) : file;
    if (target.startsWith('..')) problems.push(`${file}: ${link}: leaves the repository`);
    else if (!existsSync(join(root, target))) problems.push(`${file}: ${link}: no file ${target}`);
    else if (anchor !== undefined && target.endsWith('.md') && statSync(join(root, target)).isFile()) {
      const page = target === file ? text : readDoc(target);
      if (!headingAnchors(page).has(anchor)) problems.push(`${file}: ${link}: no heading #${anchor} in ${target}`);
    }
  }
  return problems;
}

describe('links in the docs', () => {
  it('reads links and anchors as GitHub does', () => {
    const page = [
      '# Push completion: Atlas alerts end the wait',
      '## ScheduledRunNotSucceeded-&lt;plan&gt;: the last run',
      '## Ad-hoc policy: `adHoc`',
      '## Notes',
      '## Notes',
      '```bash',
      '# not a heading',
      '```',
      'See [push](docs/push.md#the-wait), [home](https://example.com), `[not](a-link.md)`, [here](#notes-1).',
    ].join('\n');
    expect([...headingAnchors(page)]).toEqual([
      'push-completion-atlas-alerts-end-the-wait',
      'scheduledrunnotsucceeded-plan-the-last-run',
      'ad-hoc-policy-adhoc',
      'notes',
      'notes-1',
    ]);
    expect(relativeLinks(page)).toEqual(['docs/push.md#the-wait', '#notes-1']);
  });

  it('finds a link to a missing file, to a missing heading, and out of the repository', () => {
    const page = '# Title\n[a](docs/nope.md) [b](docs/operations.md#no-such-heading) [c](#title) [d](../../etc/passwd) [e](docs/operations.md#alarms)';
    expect(brokenLinks('README.md', page)).toEqual([
      'README.md: docs/nope.md: no file docs/nope.md',
      'README.md: docs/operations.md#no-such-heading: no heading #no-such-heading in docs/operations.md',
      'README.md: ../../etc/passwd: leaves the repository',
    ]);
  });

  it.each(DOCS)('%s: every relative link leads to a file and heading that exist', (file) => {
    expect(brokenLinks(file, readDoc(file))).toEqual([]);
  });
});
