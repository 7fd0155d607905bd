import { readFileSync } from 'node:fs';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { OPENAPI_FILE, openApiText } from '../../../bin/openapi.js';
import { openApiDocument } from '../../../functions/core/api/openapi.js';
import { envelopeOf, handleApiRequest, servedRoutes } from '../../../functions/core/api/routes.js';
import { docDeps, runningRestore } from './docExamples.js';
import { apiEvent, makeDeps } from './fixtures.js';

/**
 * The OpenAPI document against the live handler: the checked-in file is what the generator makes
 * now; every route served is documented and every documented route served; each example request
 * the document gives is accepted with a status it lists; leaving out a field it says is required
 * gets the 400 it lists, naming that field. Every answer these provoke must match the schema the
 * document gives for its status code.
 */

const sfn = mockClient(SFNClient);
const parse = (res: { body: string }) => JSON.parse(res.body) as Record<string, any>;

beforeEach(() => runningRestore(sfn));

interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  example: string;
}
interface Operation {
  parameters?: Param[];
  requestBody?: { content: { 'application/json': { schema: { required?: string[]; oneOf?: { required: string[] }[] }; examples: Record<string, { value: Record<string, unknown> }> } } };
  responses: Record<string, { content?: { 'application/json': { examples?: Record<string, { value: Record<string, unknown> }> } } }>;
}

const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, Operation>> };
const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));

interface Call {
  params?: Record<string, string>;
  /** Path parameters left out. */
  without?: string[];
  body?: Record<string, unknown>;
}

/** Sends a request to `METHOD path` as API Gateway would for that resource. */
/**
 * The document as a JSON Schema 2020-12 resource (OpenAPI 3.1's dialect): each response schema is
 * compiled by its JSON pointer, so its `#/components/schemas/...` references resolve in the document.
 */
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ ...JSON.parse(openApiText()), $id: 'openapi.json' });
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** The answer matches the schema the document gives `METHOD path` for its status code. */
function expectDocumented(path: string, method: string, res: { statusCode: number; body: string }): void {
  const op = doc.paths[path]![method.toLowerCase()]!;
  const status = String(res.statusCode);
  expect(Object.keys(op.responses), `${method} ${path}`).toContain(status);
  const validate = ajv.getSchema(`openapi.json#/${pointer('paths', path, method.toLowerCase(), 'responses', status, 'content', 'application/json', 'schema')}`)!;
  const body = parse(res);
  expect({ route: `${method} ${path}`, status, valid: validate(body), errors: validate.errors, body }).toMatchObject({ valid: true });
}

async function send(path: string, method: string, op: Operation, call: Call) {
  const deps = await docDeps(path.startsWith('/restores/holds'));
  const params = (op.parameters ?? []).filter((p) => call.params?.[p.name] !== undefined && !call.without?.includes(p.name));
  const pathParameters = Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, call.params![p.name]!]));
  const query = Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, call.params![p.name]!]));
  const headers = Object.fromEntries(params.filter((p) => p.in === 'header').map((p) => [p.name, call.params![p.name]!]));
  const rawPath = path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(pathParameters[name] ?? ''));
  const event = apiEvent({
    method,
    path: rawPath,
    resource: path,
    pathParameters,
    ...(Object.keys(query).length ? { query } : {}),
    headers,
    ...(call.body ? { body: call.body } : {}),
  });
  const res = await handleApiRequest(event, deps);
  expectDocumented(path, method, res);
  return res;
}

const examplesOf = (op: Operation) => Object.entries(op.requestBody?.content['application/json'].examples ?? { none: { value: undefined } });
const paramExamples = (op: Operation, which: (p: Param) => boolean) =>
  Object.fromEntries((op.parameters ?? []).filter(which).map((p) => [p.name, p.example]));

describe('docs/openapi.json', () => {
  it('is what `npm run openapi` generates now', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(openApiText());
  });

  it('documents exactly the routes the handler serves', () => {
    const documented = operations.map((o) => `${o.method} ${o.path}`).sort();
    expect(documented).toEqual([...servedRoutes()].sort());
  });

  it('documents exactly the query parameters each route takes, and the envelope refusals (400, 413, 415) on each', () => {
    for (const { path, method, op } of operations) {
      const route = `${method} ${path}`;
      const documented = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name).sort();
      expect({ route, query: documented }).toEqual({ route, query: [...(envelopeOf(route)?.query ?? [])].sort() });
      expect({ route, statuses: Object.keys(op.responses) }).toEqual({ route, statuses: expect.arrayContaining(['400', '413', '415']) });
    }
  });

  it('is served at GET /openapi.json', async () => {
    const res = await handleApiRequest(apiEvent({ path: '/openapi.json' }), makeDeps());
    expect(res.statusCode).toBe(200);
    expectDocumented('/openapi.json', 'GET', res);
    expect(parse(res)).toEqual(JSON.parse(openApiText()));
  });
});

describe.each(operations)('$method $path against the handler', ({ path, method, op }) => {
  it('accepts each example the document gives, with or without the optional parameters, answering a status it lists', async () => {
    const required = paramExamples(op, (p) => p.required);
    const all = paramExamples(op, () => true);
    for (const [name, example] of examplesOf(op))
      for (const params of [required, all]) {
        const res = await send(path, method, op, { params, ...(example.value ? { body: example.value } : {}) });
        expect({ example: name, params, status: res.statusCode, body: parse(res) }).toMatchObject({ status: expect.toSatisfy((s: number) => s >= 200 && s < 300) });
        expect(Object.keys(op.responses)).toContain(String(res.statusCode));
        // An answer the document shows by example has the example's fields.
        const shown = Object.values(op.responses[res.statusCode]!.content?.['application/json'].examples ?? {});
        if (shown.length) expect(shown.map((e) => Object.keys(e.value).sort())).toContainEqual(Object.keys(parse(res)).sort());
      }
  });

  it('answers the 400 it lists, naming the field, when a required field or path parameter is left out', async () => {
    const schema = op.requestBody?.content['application/json'].schema;
    // A field required outright is named itself; one of a oneOf group (exactly one of plan or request) may be named by the group.
    const oneOf = (schema?.oneOf ?? []).flatMap((o) => o.required);
    const named = (field: string) => (oneOf.includes(field) ? oneOf : [field]);
    const requiredFields = [...(schema?.required ?? []), ...oneOf];
    const requiredParams = (op.parameters ?? []).filter((p) => p.required);
    if (op.requestBody) expect(requiredFields.length).toBeGreaterThan(0);
    const params = paramExamples(op, (p) => p.required);
    const cases: { left: string; names: string[]; call: Call }[] = [];
    for (const [, example] of examplesOf(op))
      for (const field of requiredFields.filter((f) => example.value && f in example.value)) {
        const { [field]: _gone, ...rest } = example.value;
        cases.push({ left: field, names: named(field), call: { params, body: rest } });
      }
    for (const { name, in: where } of requiredParams) {
      const example = examplesOf(op)[0]?.[1];
      cases.push({ left: name, names: [`${where}.${name}`], call: { params, without: [name], ...(example?.value ? { body: example.value } : {}) } });
    }
    if (requiredFields.length + requiredParams.length === 0) return;
    expect(cases.length).toBeGreaterThan(0);
    for (const { left, names, call } of cases) {
      const res = await send(path, method, op, call);
      expect({ left, status: res.statusCode }).toEqual({ left, status: 400 });
      expect(Object.keys(op.responses)).toContain('400');
      const paths: string[] = parse(res).fields.map((f: { path: string }) => f.path);
      expect({ left, named: paths.some((p) => names.includes(p)) }).toEqual({ left, named: true });
    }
  });
});
