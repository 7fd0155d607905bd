import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, looksLike } from '../../../functions/core/api/envelope.js';
import { ERROR_BOUNDS, validationError } from '../../../functions/core/api/responses.js';
import { handleApiRequest } from '../../../functions/core/api/routes.js';
import { apiEvent, makeDeps } from './fixtures.js';

/** What the API refuses before it reads a request: unknown query parameters, non-JSON bodies, floods. */

const sfn = mockClient(SFNClient);
beforeEach(() => {
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: new Date() });
});

const post = (body: unknown, o: { headers?: Record<string, string>; query?: Record<string, string> } = {}) =>
  apiEvent({ method: 'POST', path: '/restores', resource: '/restores', body, ...o });
const answer = async (event: ReturnType<typeof post>, deps = makeDeps()) => {
  const res = await handleApiRequest(event, deps);
  return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, any>, size: res.body.length, deps };
};

describe('query parameters', () => {
  it.each(['dryrun', 'dry_run', 'DryRun', 'dry-run', 'DRYRUN', 'dryRn'])('?%s=true is refused (400, did you mean dryRun?) and starts nothing', async (name) => {
    const { status, body, deps } = await answer(post({ plan: 'nightly-staging' }, { query: { [name]: 'true' } }));
    expect(status).toBe(400);
    expect(body.fields).toEqual([{ path: `query.${name}`, rule: expect.stringContaining('did you mean dryRun?') }]);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    expect(deps.actions.dryRun).not.toHaveBeenCalled();
  });

  it('an unrelated unknown parameter is refused without a suggestion', async () => {
    const { status, body } = await answer(post({ plan: 'nightly-staging' }, { query: { force: 'yes' } }));
    expect(status).toBe(400);
    expect(body.fields[0]).toEqual({ path: 'query.force', rule: 'is not a known query parameter (allowed: dryRun)' });
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('dryRun given twice is refused', async () => {
    const event = post({ plan: 'nightly-staging' }, { query: { dryRun: 'true' } });
    event.multiValueQueryStringParameters = { dryRun: ['true', 'false'] };
    const { status, body } = await answer(event);
    expect(status).toBe(400);
    expect(body.fields[0]).toEqual({ path: 'query.dryRun', rule: 'is given more than once' });
  });

  it('GET and cancel take no query parameters', async () => {
    const get = apiEvent({ path: '/restores/r-1', resource: '/restores/{id}', pathParameters: { id: 'r-1' }, query: { verbose: '1' } });
    expect((await answer(get)).body.fields[0].path).toBe('query.verbose');
    const cancel = apiEvent({ method: 'POST', path: '/restores/r-1/cancel', resource: '/restores/{id}/cancel', pathParameters: { id: 'r-1' }, query: { force: 'true' } });
    expect((await answer(cancel)).status).toBe(400);
  });

  it('looksLike: same word in another case or spelling, one or two slips; not another word', () => {
    for (const near of ['dryrun', 'dry_run', 'DRY-RUN', 'dryRn', 'drRun', 'dryRunn']) expect(looksLike(near, 'dryRun')).toBe(true);
    for (const far of ['force', 'run', 'd', 'plan', 'verbose']) expect(looksLike(far, 'dryRun')).toBe(false);
  });
});

describe('Content-Type', () => {
  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['application/jsonx'], ['multipart/form-data; boundary=x']])(
    'a body sent as %s is refused with 415 naming the type',
    async (type) => {
      const { status, body } = await answer(post({ plan: 'nightly-staging' }, { headers: { 'Content-Type': type } }));
      expect(status).toBe(415);
      expect(body).toMatchObject({ error: 'UnsupportedMediaType', message: expect.stringContaining(type.slice(0, 20)) });
      expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    },
  );

  it('a body with no Content-Type is refused with 415', async () => {
    const event = post('{"plan":"nightly-staging"}');
    event.headers = {};
    const { status, body } = await answer(event);
    expect(status).toBe(415);
    expect(body.message).toContain('no Content-Type');
  });

  it('application/json with parameters, in any case, is accepted', async () => {
    const { status } = await answer(post({ plan: 'nightly-staging' }, { headers: { 'content-type': 'Application/JSON; charset=UTF-8' } }));
    expect(status).toBe(202);
  });

  it('JSON in another charset is refused with 415: JSON is UTF-8', async () => {
    for (const type of ['application/json; charset=utf-16', 'application/json; charset=iso-8859-1', 'application/json; boundary=x']) {
      const { status, body } = await answer(post({ plan: 'nightly-staging' }, { headers: { 'content-type': type } }));
      expect(status, type).toBe(415);
      expect(body.message).toContain('charset=utf-8');
    }
    expect((await answer(post({ plan: 'nightly-staging' }, { headers: { 'content-type': 'application/json;charset="utf-8"' } }))).status).toBe(202);
  });

  it('cancel takes no body: {} is tolerated (clients send it), anything else is a 400', async () => {
    const cancel = (body: unknown) =>
      apiEvent({ method: 'POST', path: '/restores/r-1/cancel', resource: '/restores/{id}/cancel', pathParameters: { id: 'r-1' }, body });
    expect((await answer(cancel({ force: true }))).body.fields).toEqual([{ path: '(body)', rule: 'this request takes no body' }]);
    expect((await answer(cancel({}))).status).not.toBe(400);
  });
});

describe('size', () => {
  it('a body over the limit is refused with 413 before it is parsed (even when it is not JSON)', async () => {
    const { status, body } = await answer(post('{'.repeat(MAX_BODY_BYTES + 1)));
    expect(status).toBe(413);
    expect(body.error).toBe('PayloadTooLarge');
  });

  it('3 MB of unknown keys inside overrides: 413, a small answer', async () => {
    const overrides = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}xxxxxxxxxxxxxxxxxx`, 1]));
    const { status, size } = await answer(post({ plan: 'nightly-staging', overrides }));
    expect(status).toBe(413);
    expect(size).toBeLessThan(500);
  });

  it('a body just under the limit full of unknown keys: 400 with a capped field list and a bounded answer', async () => {
    const overrides: Record<string, number> = {};
    for (let i = 0; JSON.stringify({ plan: 'nightly-staging', overrides }).length < MAX_BODY_BYTES - 200; i++) overrides[`unknown-key-${i}-${'x'.repeat(40)}`] = i;
    const { status, body, size } = await answer(post({ plan: 'nightly-staging', overrides }));
    expect(status).toBe(400);
    expect(body.fields.length).toBeLessThanOrEqual(ERROR_BOUNDS.fields);
    for (const f of body.fields) expect(f.rule.length).toBeLessThanOrEqual(ERROR_BOUNDS.rule);
    expect(size).toBeLessThan(8_000);
  });

  it('more problems than the cap: the first ones, each cut short, and how many were left out', () => {
    const problems = Array.from({ length: 25 }, (_, i) => ({ path: `overrides.${'p'.repeat(500)}${i}`, rule: 'r'.repeat(5000) }));
    const err = validationError(problems);
    const fields = err.extra.fields as { path: string; rule: string }[];
    expect(fields).toHaveLength(ERROR_BOUNDS.fields);
    for (const f of fields) {
      expect(f.path.length).toBeLessThanOrEqual(ERROR_BOUNDS.path);
      expect(f.rule.length).toBeLessThanOrEqual(ERROR_BOUNDS.rule);
    }
    expect(err.extra.fieldsOmitted).toBe(15);
    expect(err.message).toContain('and 22 more');
    expect(err.message.length).toBeLessThanOrEqual(ERROR_BOUNDS.message);
  });
});
