import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * package.json says Apache-2.0; the licence only binds when its text ships with the code, with the
 * appendix's copyright line filled in for this project (a "[yyyy]" placeholder grants nothing clear).
 */
const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('LICENSE', () => {
  const text = read('LICENSE');

  it('is the Apache License 2.0 that package.json names, whole', () => {
    expect(JSON.parse(read('package.json')).license).toBe('Apache-2.0');
    expect(text.trimStart().startsWith('Apache License\n                           Version 2.0, January 2004')).toBe(true);
    // The nine sections and the end of the terms: a truncated copy fails here.
    for (const section of ['1. Definitions.', '4. Redistribution.', '9. Accepting Warranty or Additional Liability.', 'END OF TERMS AND CONDITIONS'])
      expect(text, section).toContain(section);
  });

  it('names this project in its copyright line, not the template placeholder', () => {
    expect(text).not.toContain('[name of copyright owner]');
    expect(text).toMatch(/^ {3}Copyright \d{4} The atlas-restore-orchestrator authors$/m);
  });
});
