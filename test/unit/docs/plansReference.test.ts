import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { plansJsonSchema } from '../../../bin/plans-schema.js';
import { validatePlansConfig } from '../../../lib/plans.js';
import { codeBlocks, codeSpans, readDoc, tables } from '../../support/markdown.js';

/**
 * docs/plans.md against the plans file's JSON Schema (made from the zod schema, as
 * docs/plans.schema.json is): one row per field the schema has and none it lacks; the default each
 * row gives is the schema's, and "required" is said where the schema requires the field; each
 * example is valid for its field; the plans files the page shows are valid plans files.
 */

type Schema = Record<string, any>;

interface Field {
  /** Every schema the field has, one per object that holds it (union members each hold their own). */
  schemas: Schema[];
  /** Whether each of those objects requires it. */
  required: boolean[];
}

/** Every field of the file by its path from the top (`plans[].poll.floorSeconds`), as the page writes it. */
function schemaFields(root: Schema): Map<string, Field> {
  const fields = new Map<string, Field>();
  const walk = (schema: Schema, path: string) => {
    for (const member of [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])]) walk(member, path);
    if (schema.items) walk(schema.items, `${path}[]`);
    for (const [name, field] of Object.entries<Schema>(schema.properties ?? {})) {
      const at = path ? `${path}.${name}` : name;
      const entry = fields.get(at) ?? { schemas: [], required: [] };
      entry.schemas.push(field);
      entry.required.push(((schema.required as string[] | undefined) ?? []).includes(name));
      fields.set(at, entry);
      walk(field, at);
    }
  };
  walk(root, '');
  return fields;
}

interface Row {
  path: string;
  rule: string;
  defaultCell: string;
  exampleCell: string;
  meaning: string;
}

function documentedRows(page: string): Row[] {
  return tables(page)
    .filter((t) => t.header[0] === 'field')
    .flatMap((t) => {
      const columns = ['field', 'type and rule', 'default', 'example', 'what it does'];
      if (t.header.join('|') !== columns.join('|')) throw new Error(`docs/plans.md: a field table's columns must be ${columns.join(', ')}; got ${t.header.join(', ')}`);
      return t.rows.map(([field, rule, defaultCell, exampleCell, meaning]) => ({ path: codeSpans(field!)[0] ?? field!, rule: rule!, defaultCell: defaultCell!, exampleCell: exampleCell!, meaning: meaning! }));
    });
}

const jsonOf = (span: string): unknown => {
  try {
    return JSON.parse(span);
  } catch {
    return undefined;
  }
};

/** What the default cell must say for this field; an empty list when the page has it right. */
function defaultProblems(field: Field, cell: string): string[] {
  const defaults = field.schemas.filter((s) => 'default' in s).map((s) => s.default as unknown);
  if (defaults.length) {
    const said = codeSpans(cell).map(jsonOf);
    return defaults.filter((d) => !said.some((s) => JSON.stringify(s) === JSON.stringify(d))).map((d) => `default ${JSON.stringify(d)} not given as a code span`);
  }
  if (field.required.every(Boolean)) return cell === 'required' ? [] : [`is required: the cell must say "required", not "${cell}"`];
  if (field.required.some(Boolean)) return /^required\b/.test(cell) ? [] : [`is required in some shapes: the cell must start with "required", not "${cell}"`];
  return /^none\b/.test(cell) ? [] : [`has no default and is optional: the cell must start with "none", not "${cell}"`];
}

/** JSON and JSONC (the page's annotated example): comments outside strings dropped. */
function withoutComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else out += c;
  }
  return out;
}

const PAGE = readDoc('docs/plans.md');
const schema = plansJsonSchema();
const fields = schemaFields(schema);
const rows = documentedRows(PAGE);
const ajv = new Ajv2020({ allErrors: true, validateFormats: false, strict: false });
const validators = new Map<Schema, ValidateFunction>();
const validatorOf = (s: Schema) => validators.get(s) ?? validators.set(s, ajv.compile(s)).get(s)!;

describe('docs/plans.md, the plans file reference', () => {
  it('the schema walk finds every field, nested in lists and unions too', () => {
    expect(fields.get('plans[].poll.floorSeconds')?.schemas[0]?.default).toBe(30);
    expect(fields.get('plans[].postRestore[].timeoutSeconds')?.schemas.map((s) => s.default)).toEqual([300, 3600]);
    expect(fields.get('plans[].restore.pointInTime')?.required).toEqual([true, false]);
    expect(fields.size).toBeGreaterThan(80);
  });

  it('has one row for each field of the schema, and none for a field it does not have', () => {
    const documented = rows.map((r) => r.path);
    expect(documented.filter((p, i) => documented.indexOf(p) !== i), 'documented twice').toEqual([]);
    expect([...fields.keys()].filter((p) => !documented.includes(p)), 'fields without a row').toEqual([]);
    expect(documented.filter((p) => !fields.has(p)), 'rows for no field').toEqual([]);
  });

  it("gives each field's default as the schema has it, and says which are required", () => {
    const problems = rows.flatMap((r) => defaultProblems(fields.get(r.path)!, r.defaultCell).map((p) => `${r.path}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('the default check catches a wrong default, a missing "required" and a default made up', () => {
    const floor = fields.get('plans[].poll.floorSeconds')!;
    expect(defaultProblems(floor, '`30`')).toEqual([]);
    expect(defaultProblems(floor, '`60`')).toEqual(['default 30 not given as a code span']);
    expect(defaultProblems(fields.get('plans[].name')!, 'none')).toHaveLength(1);
    expect(defaultProblems(fields.get('plans[].cooldownMinutes')!, '`60`')).toHaveLength(1);
  });

  it.each(rows.map((r) => [r.path, r] as const))('%s: its example is valid JSON for the field, and it says what the field does', (path, row) => {
    const example = codeSpans(row.exampleCell)[0];
    expect(example, 'an example in a code span').toBeDefined();
    const value = jsonOf(example!);
    expect(value, `${example} is JSON`).not.toBeUndefined();
    const field = fields.get(path)!;
    const fits = field.schemas.some((s) => validatorOf(s)(value));
    expect(fits, `${example} fits ${JSON.stringify(field.schemas).slice(0, 300)}`).toBe(true);
    expect(row.rule.length, 'type and rule').toBeGreaterThan(0);
    expect(row.meaning.length, 'what it does').toBeGreaterThan(10);
  });

  it('every plans file the page shows is valid, to the JSON Schema and to synth', () => {
    const files = codeBlocks(PAGE)
      .filter((b) => b.lang === 'json' || b.lang === 'jsonc')
      .map((b) => ({ line: b.line, value: JSON.parse(withoutComments(b.body)) as Record<string, unknown> }))
      .filter((b) => 'plans' in b.value);
    expect(files.length).toBeGreaterThanOrEqual(2);
    const whole = validatorOf(schema);
    for (const { line, value } of files) {
      expect(whole(value), `docs/plans.md:${line}: ${JSON.stringify(whole.errors)}`).toBe(true);
      expect(() => validatePlansConfig(value, `docs/plans.md:${line}`)).not.toThrow();
    }
  });

  it('shows the message a misspelt field gets, as synth writes it', () => {
    const said = PAGE.match(/^(Invalid plans config \(config\/plans\.json\): .*)$/m)?.[1];
    expect(said).toBeDefined();
    const cfg = { plans: [{ name: 'nightly-staging', source: { kind: 'cloud', groupId: '65f1a0000000000000000001', clusterName: 'prod-cluster' }, restore: { type: 'download' }, deadlineMinuets: 360 }] };
    expect(() => validatePlansConfig(cfg, 'config/plans.json')).toThrow(said);
  });
});
