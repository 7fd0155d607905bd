import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/simulator.md says where every refusal of the simulator comes from (the spec, Atlas's error
 * list, a docs page, or inferred). This keeps it whole: every error code the simulator's code can
 * answer with must be named on that page, in backticks.
 */

const ROOT = join(import.meta.dirname, '../../..');
const SIMULATOR = join(ROOT, 'local/simulator');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Each way the simulator spells a code: Atlas's error body, legacy's 400 helper, OAuth's error body. */
const SPELLINGS = [/SimApiError\(\s*[\w.]+,\s*'([A-Z][A-Z0-9_]+)'/g, /badRequest\(\s*'([A-Z][A-Z0-9_]+)'/g, /\berror: '([a-z_]+)'/g];

function codesInCode(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of sources(SIMULATOR)) {
    const text = readFileSync(file, 'utf8');
    for (const spelling of SPELLINGS) for (const m of text.matchAll(spelling)) codes.set(m[1]!, file.slice(ROOT.length + 1));
  }
  return codes;
}

describe('docs/simulator.md names every error the simulator answers with', () => {
  const codes = codesInCode();
  const doc = readFileSync(join(ROOT, 'docs/simulator.md'), 'utf8');

  it('finds the codes of each spelling (so an empty search cannot pass)', () => {
    expect(codes.size).toBeGreaterThan(50);
    for (const known of ['VERSION_GONE', 'COLLECTION_RESTORE_IN_PROGRESS', 'INVALID_DELIVERY_SCP', 'PAYLOAD_TOO_LARGE', 'invalid_client', 'unsupported_grant_type'])
      expect(codes.has(known), known).toBe(true);
  });

  it('every code appears in backticks on the page', () => {
    const missing = [...codes].filter(([code]) => !doc.includes(`\`${code}\``)).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });
});
