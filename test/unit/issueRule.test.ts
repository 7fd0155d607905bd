import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { handleApiRequest } from '../../functions/core/api/routes.js';
import { ruleOf, suggestingFields } from '../../functions/core/domain/issueRule.js';
import { loadPlansFile, validatePlansConfig } from '../../lib/plans.js';
import { apiEvent, makeDeps, PROD_GROUP, STAGING_GROUP } from './api/fixtures.js';

/**
 * Field errors name the rule broken in words people read, whichever schema the issue came from:
 * zod's defaults ("Too big: expected number to be <=7") are said again; a schema's own words are kept.
 */

const rules = (schema: z.ZodType, value: unknown) => {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected the value to be refused');
  return parsed.error.issues.map((i) => [i.path.join('.'), ruleOf(i)]);
};

/** zod's own wording, which must never reach a person. */
const ZOD_WORDS = /Too big|Too small|Invalid input|Invalid option|Invalid discriminator|Unrecognized key|Invalid string|expected \w+, received|[<>]=/;

describe('ruleOf', () => {
  it.each<[string, z.ZodType, unknown, string]>([
    ['a number over its maximum', z.object({ n: z.number().max(7) }), { n: 9 }, 'must be at most 7'],
    ['a number under its minimum', z.object({ n: z.number().min(5) }), { n: 1 }, 'must be at least 5'],
    ['a number not under an exclusive maximum', z.object({ n: z.number().lt(5) }), { n: 5 }, 'must be less than 5'],
    ['a field left out', z.object({ n: z.string() }), {}, 'is required'],
    ['a field of the wrong type', z.object({ n: z.string() }), { n: 3 }, 'must be a string'],
    ['a fraction where a whole number goes', z.object({ n: z.number().int() }), { n: 1.5 }, 'must be a whole number'],
    ['an empty string', z.object({ n: z.string().min(1) }), { n: '' }, 'must not be empty'],
    ['a string too long', z.object({ n: z.string().max(3) }), { n: 'abcd' }, 'must have at most 3 characters'],
    ['too few items', z.object({ n: z.array(z.string()).min(2) }), { n: ['a'] }, 'must have at least 2 items'],
    ['a value not in an enum', z.object({ n: z.enum(['x', 'y']) }), { n: 'z' }, 'must be one of "x", "y"'],
    ['a value not the literal', z.object({ n: z.literal('x') }), { n: 'z' }, 'must be "x"'],
    ['an unknown field', z.object({}).strict(), { n: 1 }, 'has an unknown field "n"'],
    ['a discriminator that names no option', z.object({ n: z.discriminatedUnion('kind', [z.object({ kind: z.literal('a') }), z.object({ kind: z.literal('b') })]) }), { n: { kind: 'c' } }, 'must be one of "a", "b"'],
  ])('%s', (_what, schema, value, rule) => {
    const [[, said]] = rules(schema, value) as [[string, string]];
    expect(said).toBe(rule);
    expect(said).not.toMatch(ZOD_WORDS);
  });

  it("keeps a schema's own words", () => {
    expect(rules(z.object({ n: z.string().max(5, 'must be at most 5 characters, a short name') }), { n: 'abcdefg' })).toEqual([['n', 'must be at most 5 characters, a short name']]);
    expect(rules(z.object({ n: z.string({ error: 'must be a plan name' }) }), {})).toEqual([['n', 'must be a plan name']]);
  });
});

describe('suggestingFields: "did you mean" on a misspelt field', () => {
  const suggested = (schema: z.ZodType, value: unknown) => {
    const parsed = schema.safeParse(value, { error: suggestingFields });
    if (parsed.success) throw new Error('expected the value to be refused');
    return parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${ruleOf(i)}`);
  };
  const Poll = z.object({ floorSeconds: z.number().default(30), capSeconds: z.number().default(3600) }).strict();
  const Plan = z.object({ deadlineMinutes: z.number().optional(), poll: Poll.optional() }).strict();

  it('names the field probably meant, at any depth', () => {
    expect(suggested(Plan, { deadlineMinuets: 60 })).toEqual(['(root): has an unknown field "deadlineMinuets" (did you mean deadlineMinutes?)']);
    expect(suggested(Plan, { poll: { floorSecond: 30 } })).toEqual(['poll: has an unknown field "floorSecond" (did you mean floorSeconds?)']);
  });

  it('guesses for each unknown field where one is close, and only there', () => {
    expect(suggested(Plan, { deadlineMinuets: 60, colour: 'blue', pol: {} })).toEqual([
      '(root): has unknown fields "deadlineMinuets" (did you mean deadlineMinutes?), "colour", "pol" (did you mean poll?)',
    ]);
  });

  it('never guesses a field the input already has: that one was not misspelt', () => {
    expect(suggested(Plan, { deadlineMinutes: 60, deadlineMinuets: 60 })).toEqual(['(root): has an unknown field "deadlineMinuets"']);
  });

  it("guesses among the fields of the union member that matched, not another's", () => {
    const Restore = z.discriminatedUnion('type', [
      z.object({ type: z.literal('snapshot'), snapshot: z.string().optional() }).strict(),
      z.object({ type: z.literal('pointInTime'), pointInTime: z.string().optional() }).strict(),
    ]);
    expect(suggested(Restore, { type: 'pointInTime', pointInTme: 'x' })).toEqual(['(root): has an unknown field "pointInTme" (did you mean pointInTime?)']);
    expect(suggested(Restore, { type: 'snapshot', pointInTme: 'x' })).toEqual(['(root): has an unknown field "pointInTme"']);
  });

  it("leaves every other issue in zod's hands, for ruleOf to say in words", () => {
    expect(suggested(Plan, { deadlineMinutes: 'soon' })).toEqual(['deadlineMinutes: must be a number']);
  });
});

describe('the messages people see', () => {
  const plansWith = (drill: unknown) => ({
    plans: [
      {
        name: 'weekly-drill',
        source: { kind: 'cloud', groupId: PROD_GROUP, clusterName: 'prod' },
        restore: { type: 'snapshot', target: { groupId: STAGING_GROUP, clusterName: 'staging' } },
        drill,
      },
    ],
  });

  it('synth: a drill window over its bound names the setting and the bound', () => {
    expect(() => validatePlansConfig(plansWith({ passWithinDays: 9 }), 'plans.json')).toThrow('plan "weekly-drill" drill.passWithinDays: must be at most 7');
  });

  it('synth: a misspelt plan setting names the one probably meant, at the top and deeper', () => {
    const misspelt = plansWith(undefined) as { plans: Record<string, unknown>[] };
    Object.assign(misspelt.plans[0]!, { deadlineMinuets: 60, poll: { floorSecond: 30 } });
    const message = (() => {
      try {
        validatePlansConfig({ ...misspelt, protectedTarget: [] }, 'plans.json');
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('expected the plans to be refused');
    })();
    expect(message).toContain('plan "weekly-drill": has an unknown field "deadlineMinuets" (did you mean deadlineMinutes?)');
    expect(message).toContain('plan "weekly-drill" poll: has an unknown field "floorSecond" (did you mean floorSeconds?)');
    expect(message).toContain('(root): has an unknown field "protectedTarget" (did you mean protectedTargets?)');
  });

  it('CLI: the plans file run --plan loads says the same', () => {
    const misspelt = plansWith(undefined) as { plans: Record<string, unknown>[] };
    Object.assign(misspelt.plans[0]!, { cooldownMinuets: 60 });
    const file = join(mkdtempSync(join(tmpdir(), 'plans-')), 'plans.json');
    writeFileSync(file, JSON.stringify(misspelt));
    expect(() => loadPlansFile(file)).toThrow(`Invalid plans config (${file}): plan "weekly-drill": has an unknown field "cooldownMinuets" (did you mean cooldownMinutes?)`);
  });

  it('a plans file may say where its JSON Schema is ("$schema"), for editors', () => {
    expect(() => validatePlansConfig({ $schema: '../docs/plans.schema.json', ...plansWith(undefined) }, 'plans.json')).not.toThrow();
  });

  it('API: a misspelt override or body field names the one probably meant', async () => {
    const send = async (body: unknown) => JSON.parse((await handleApiRequest(apiEvent({ method: 'POST', path: '/restores', resource: '/restores', body }), makeDeps())).body);
    expect((await send({ plan: 'nightly-staging', overrides: { snapshotID: 'x' } })).fields).toEqual([
      { path: 'overrides', rule: 'has an unknown field "snapshotID" (did you mean snapshotId?)' },
    ]);
    expect((await send({ plan: 'nightly-staging', overides: {} })).fields).toEqual([{ path: '', rule: 'has an unknown field "overides" (did you mean overrides?)' }]);
  });

  it('API: a hold without a reason is "reason is required"', async () => {
    const event = apiEvent({ method: 'POST', path: '/restores/holds', resource: '/restores/holds', body: { target: { groupId: STAGING_GROUP, clusterName: 'staging' }, for: '4h' } });
    const res = await handleApiRequest(event, makeDeps());
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ message: 'The request is not valid: reason is required', fields: [{ path: 'reason', rule: 'is required' }] });
  });

  it('API: both a plan and a request is "give exactly one of plan or request", whatever the request holds', async () => {
    for (const request of [{ kind: 'nope' }, {}, { kind: 'cloud' }]) {
      const event = apiEvent({ method: 'POST', path: '/restores', resource: '/restores', body: { plan: 'nightly-staging', request } });
      const res = await handleApiRequest(event, makeDeps());
      expect({ request, status: res.statusCode, fields: JSON.parse(res.body).fields }).toEqual({ request, status: 400, fields: [{ path: 'plan', rule: 'give exactly one of plan or request' }] });
    }
  });

  it('API: an ad-hoc request of no known kind names the kinds', async () => {
    const event = apiEvent({ method: 'POST', path: '/restores', resource: '/restores', body: { request: { kind: 'nope' } } });
    const body = JSON.parse((await handleApiRequest(event, makeDeps())).body);
    expect(body.fields).toEqual([{ path: 'request.kind', rule: 'must be one of "cloud", "flex", "tenant", "legacy", "collection"' }]);
  });
});
