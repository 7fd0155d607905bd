import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_STAGE, API_THROTTLE } from '../../lib/api.js';
import { synthesize, type Synthesized } from './helpers.js';

let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});

const methods = () => Object.values(s.template.findResources('AWS::ApiGateway::Method'));
const pathOf = (resourceRef: unknown): string => {
  // Resolve a method's ResourceId back to its path part (root is the RestApi's RootResourceId).
  const ref = (resourceRef as { Ref?: string }).Ref;
  return ref ? s.template.findResources('AWS::ApiGateway::Resource')[ref]!.Properties.PathPart : '/';
};

describe('restore API', () => {
  it('has exactly the restore, history and hold routes and the OpenAPI document, all proxied to submit', () => {
    const routes = methods().map((m) => `${m.Properties.HttpMethod} ${pathOf(m.Properties.ResourceId)}`).sort();
    expect(routes).toEqual(['DELETE {clusterName}', 'GET holds', 'GET openapi.json', 'GET restores', 'GET {id}', 'POST cancel', 'POST holds', 'POST release', 'POST restores']);
    const submit = s.logicalId(s.stack.functions.submitRestore);
    for (const m of methods()) {
      expect(m.Properties.Integration.Type).toBe('AWS_PROXY');
      expect(JSON.stringify(m.Properties.Integration.Uri)).toContain(submit);
    }
  });

  it('requires IAM (SigV4) auth on every method', () => {
    expect(methods().length).toBeGreaterThan(0);
    for (const m of methods()) expect(m.Properties.AuthorizationType).toBe('AWS_IAM');
  });

  it('validates the start body and the path id; the Idempotency-Key header is optional', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
    const start = methods().find((m) => m.Properties.HttpMethod === 'POST' && pathOf(m.Properties.ResourceId) === 'restores')!;
    expect(start.Properties.RequestParameters).toEqual({ 'method.request.header.Idempotency-Key': false });
    expect(start.Properties.RequestModels['application/json']).toEqual({ Ref: expect.any(String) });
    expect(start.Properties.RequestValidatorId).toBeDefined();
    for (const m of methods().filter((m) => ['{id}', 'cancel'].includes(pathOf(m.Properties.ResourceId)))) {
      expect(m.Properties.RequestParameters).toEqual({ 'method.request.path.id': true });
      expect(m.Properties.RequestValidatorId).toBeDefined();
    }
    for (const m of methods().filter((m) => ['{clusterName}', 'release'].includes(pathOf(m.Properties.ResourceId)))) {
      expect(m.Properties.RequestParameters).toEqual({ 'method.request.path.groupId': true, 'method.request.path.clusterName': true });
      expect(m.Properties.RequestValidatorId).toBeDefined();
    }
    const hold = methods().find((m) => m.Properties.HttpMethod === 'POST' && pathOf(m.Properties.ResourceId) === 'holds')!;
    expect(hold.Properties.RequestModels['application/json']).toEqual({ Ref: expect.any(String) });
    s.template.hasResourceProperties('AWS::ApiGateway::Model', {
      Schema: Match.objectLike({ required: ['target', 'reason'], additionalProperties: false }),
    });
    s.template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: Match.objectLike({ type: 'object', minProperties: 1, properties: Match.objectLike({ plan: { type: 'string', minLength: 1, maxLength: 64 } }) }),
    });
  });

  it('lists the history with GET /restores: plan required, since and limit optional, checked by the validator', () => {
    const list = methods().find((m) => m.Properties.HttpMethod === 'GET' && pathOf(m.Properties.ResourceId) === 'restores')!;
    expect(list.Properties.RequestParameters).toEqual({
      'method.request.querystring.plan': true,
      'method.request.querystring.since': false,
      'method.request.querystring.limit': false,
    });
    expect(list.Properties.RequestValidatorId).toBeDefined();
    expect(list.Properties.AuthorizationType).toBe('AWS_IAM');
  });

  it('models overrides field by field and applies the model whatever the Content-Type', () => {
    const start = methods().find((m) => m.Properties.HttpMethod === 'POST' && pathOf(m.Properties.ResourceId) === 'restores')!;
    expect(start.Properties.RequestModels.$default).toEqual(start.Properties.RequestModels['application/json']);
    const model = Object.values(s.template.findResources('AWS::ApiGateway::Model'))[0]!;
    const overrides = model.Properties.Schema.properties.overrides;
    expect(overrides.additionalProperties).toBe(false);
    expect(Object.keys(overrides.properties).sort()).toEqual(['pointInTimeUTCSeconds', 'snapshotId', 'target']);
    expect(overrides.properties.target).toMatchObject({
      additionalProperties: false,
      properties: { clusterName: { pattern: '^[a-zA-Z0-9][a-zA-Z0-9-]*$', maxLength: 64 } },
    });
  });

  it('throttles, traces and writes JSON access logs to an encrypted log group on stage v1', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: API_STAGE,
      TracingEnabled: true,
      AccessLogSetting: {
        DestinationArn: { 'Fn::GetAtt': [s.logicalId(s.stack.api.accessLogs), 'Arn'] },
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: API_THROTTLE.rateLimit,
          ThrottlingBurstLimit: API_THROTTLE.burstLimit,
        }),
      ]),
    });
    const logs = s.template.findResources('AWS::Logs::LogGroup')[s.logicalId(s.stack.api.accessLogs)];
    expect(logs?.Properties.KmsKeyId).toBeDefined();
  });

  it('lets API Gateway invoke submit only from this API (no console test-invoke permission)', () => {
    const permissions = Object.values(s.template.findResources('AWS::Lambda::Permission'));
    expect(permissions).toHaveLength(methods().length); // one per method, each this API's
    for (const p of permissions) {
      expect(p.Properties.Principal).toBe('apigateway.amazonaws.com');
      // Scoped to the deployed stage of this API, not `test-invoke-stage` or any API.
      const arn = JSON.stringify(p.Properties.SourceArn);
      expect(arn).toContain(`{"Ref":"${s.logicalId(s.stack.api.api)}"}`);
      expect(arn).toContain(`{"Ref":"${s.logicalId(s.stack.api.api.deploymentStage)}"}`);
    }
  });

  it('outputs the stage URL', () => {
    const url = s.template.findOutputs('ApiUrl').ApiUrl;
    expect(JSON.stringify(url?.Value)).toContain(`{"Ref":"${s.logicalId(s.stack.api.api.deploymentStage)}"}`);
  });
});
