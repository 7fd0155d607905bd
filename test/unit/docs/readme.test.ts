import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { plansJsonSchema } from '../../../bin/plans-schema.js';
import { validatePlansConfig } from '../../../lib/plans.js';
import { codeBlocks, readDoc, section } from '../../support/markdown.js';

/**
 * README is the front door (issue 25): short enough to read at the door, its two commands the ones
 * CI runs, a link to every page in docs/, and the sections it used to hold still somewhere in docs/.
 */

const README = readDoc('README.md');
const DOC_PAGES = readdirSync(new URL('../../../docs/', import.meta.url)).filter((f) => f.endsWith('.md'));

/** The sections README held before they moved, and the page each lives on now. */
const MOVED: [string, string][] = [
  ['docs/getting-started.md', 'Two commands'],
  ['docs/getting-started.md', 'How a restore runs'],
  ['docs/getting-started.md', 'Your first restore on your own Atlas'],
  ['docs/getting-started.md', 'Deploying'],
  ['docs/getting-started.md', 'The Atlas simulator on its own'],
  ['docs/getting-started.md', 'Layout'],
  ['docs/push.md', 'Push completion: Atlas alerts end the wait'],
  ['docs/plans.md', 'An example'],
  ['docs/plans.md', 'After the restore: steps and drills'],
  ['docs/operations.md', 'History'],
  ['docs/triggers.md', 'Triggers'],
  ['docs/notifications.md', 'Notifications'],
  ['docs/guards.md', 'Guards'],
  ['docs/operations.md', 'Day to day'],
  ['docs/operations.md', 'Troubleshooting by error name'],
  ['docs/operations.md', 'The dashboard'],
  ['docs/operations.md', 'Alarms'],
  ['docs/security.md', 'Security'],
  ['docs/comparison.md', 'Compared with the usual tools'],
  ['docs/benchmarks.md', 'Benchmarks'],
];

describe('README.md', () => {
  it('is at most 150 lines', () => {
    expect(README.trimEnd().split('\n').length).toBeLessThanOrEqual(150);
  });

  it('gives the two commands: npm start for the demo, and exactly the test steps .ci/run runs', () => {
    const block = codeBlocks(section(README, 'Two commands')).find((b) => b.lang === 'bash')!;
    const commands = block.body.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim());
    expect(commands).toEqual(['npm ci && npm start', 'npm ci && npm test']);
    const ci = readFileSync(new URL('../../../.ci/run', import.meta.url), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !/^(set|cd) /.test(l));
    expect(ci.join(' && ')).toBe(commands[1]);
  });

  it('links every page of docs/', () => {
    for (const page of DOC_PAGES) expect(README, `docs/${page}`).toContain(`](docs/${page}`);
  });

  it('every section it used to hold has a heading on its page in docs/', () => {
    for (const [page, heading] of MOVED) expect(() => section(readDoc(page), heading), `${page}: ${heading}`).not.toThrow();
  });

  it('the first restore shows a valid plans file, the same one as docs/getting-started.md', () => {
    const plansFiles = (text: string) =>
      codeBlocks(text)
        .filter((b) => b.lang === 'json')
        .map((b) => JSON.parse(b.body) as Record<string, unknown>)
        .filter((v) => 'plans' in v);
    const [first] = plansFiles(section(README, 'Your first restore on your own Atlas'));
    expect(first).toBeDefined();
    expect(plansFiles(section(readDoc('docs/getting-started.md'), 'Your first restore on your own Atlas'))).toEqual([first]);
    expect(() => validatePlansConfig(first, 'my-plans.json')).not.toThrow();
    const validate = new Ajv2020({ allErrors: true, validateFormats: false, strict: false }).compile(plansJsonSchema());
    expect(validate(first), JSON.stringify(validate.errors)).toBe(true);
  });

  it('does not say a read-only key is enough for a dry run: a dry run lists restore jobs, which needs Project Backup Manager', () => {
    for (const page of ['README.md', ...DOC_PAGES.map((p) => `docs/${p}`)]) {
      const text = readDoc(page).replace(/\s+/g, ' ');
      expect(text, page).not.toMatch(/Read Only is enough/i);
    }
    expect(section(README, 'Your first restore on your own Atlas').replace(/\s+/g, ' ')).toContain('Project Backup Manager');
  });
});
