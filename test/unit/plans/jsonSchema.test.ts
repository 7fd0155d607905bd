import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { PLANS_SCHEMA_FILE, plansSchemaText } from '../../../bin/plans-schema.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';

/**
 * docs/plans.schema.json, the plans file's published JSON Schema: it is what `npm run plans-schema`
 * makes from the zod schema now, every plans file the repository ships validates against it (the
 * file as published, not a fresh copy), and it refuses the shape mistakes zod refuses.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const published = JSON.parse(readFileSync(PLANS_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
// Formats are not checked by ajv here: the one format used (date-time) comes with the pattern zod checks.
const validate = new Ajv2020({ allErrors: true, validateFormats: false }).compile(published);

/** The plans files the repository ships: config/ and examples/, any JSON file with a `plans` list. */
function shippedPlansFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []));
  return ['config', 'examples'].flatMap(walk).filter((file) => Array.isArray((JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { plans?: unknown }).plans));
}

const shipped = () => JSON.parse(readFileSync(join(ROOT, 'config/plans.json'), 'utf8')) as { plans: Record<string, any>[] } & Record<string, unknown>;

describe('docs/plans.schema.json', () => {
  it('is what npm run plans-schema makes from the zod schema now', () => {
    expect(readFileSync(PLANS_SCHEMA_FILE, 'utf8'), 'run npm run plans-schema').toBe(plansSchemaText());
  });

  it('the repository ships at least config/plans.json', () => {
    expect(shippedPlansFiles()).toContain(join('config', 'plans.json'));
  });

  it.each(shippedPlansFiles())('%s validates against it and points at it with "$schema"', (file) => {
    const plans = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { $schema?: string };
    expect(validate(plans), JSON.stringify(validate.errors, null, 1)).toBe(true);
    expect(PlansConfig.safeParse(plans).success).toBe(true);
    // Relative to the file, as editors resolve it.
    expect(plans.$schema && relative(ROOT, resolve(dirname(join(ROOT, file)), plans.$schema))).toBe(relative(ROOT, PLANS_SCHEMA_FILE));
  });

  it.each<[string, (cfg: ReturnType<typeof shipped>) => void]>([
    ['a misspelt plan field', (cfg) => (cfg.plans[0]!.deadlineMinuets = 60)],
    ['a misspelt top-level field', (cfg) => (cfg.protectedTarget = [])],
    ['a deadline under its minimum', (cfg) => (cfg.plans[0]!.deadlineMinutes = 1)],
    ['a fraction where a whole number goes', (cfg) => (cfg.plans[0]!.poll.floorSeconds = 30.5)],
    ['a restore type that does not exist', (cfg) => (cfg.plans[0]!.restore.type = 'serverless')],
    ['a download with a target', (cfg) => (cfg.plans[2]!.restore.target = cfg.plans[0]!.restore.target)],
    ['a point in time given both ways', (cfg) => (cfg.plans[1]!.restore.pointInTime = { minutesBeforeTrigger: 15, utcSeconds: 1_700_000_000 })],
    ['a cluster name outside the ASCII rule', (cfg) => (cfg.plans[0]!.restore.target.clusterName = 'staging cluster')],
    ['a plan without its source', (cfg) => delete cfg.plans[0]!.source],
    ['"$schema" that is not a string', (cfg) => (cfg.$schema = true)],
  ])('refuses what zod refuses: %s', (_what, edit) => {
    const cfg = shipped();
    expect(cfg.plans.map((p) => p.restore.type)).toEqual(['snapshot', 'pointInTime', 'download']);
    edit(cfg);
    expect(PlansConfig.safeParse(cfg).success, 'zod').toBe(false);
    expect(validate(cfg), 'JSON Schema').toBe(false);
  });

  it('accepts what zod accepts with every default left out', () => {
    const minimal = { plans: [{ name: 'p', source: { kind: 'cloud', groupId: '65f1a0000000000000000001', clusterName: 'prod' }, restore: { type: 'download' } }] };
    expect(PlansConfig.safeParse(minimal).success).toBe(true);
    expect(validate(minimal), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({})).toBe(true);
  });
});
