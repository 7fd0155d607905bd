import { Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { START_RESTORE_BODY } from './api-model.js';
import type { RestoreLogging } from './logging.js';

export const API_STAGE = 'v1';
const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** Requests per second across the stage: restores are rare, a runaway script should not be. */
export const API_THROTTLE = { rateLimit: 5, burstLimit: 10 } as const;

/** Atlas's alert deliveries: a few a minute at most, so a flood of forged ones is stopped early. */
export const ALERTS_THROTTLE = { rateLimit: 5, burstLimit: 20 } as const;
const ALERTS_PATH = 'alerts';

export interface RestoreApiProps {
  /** The submit Lambda: every restore route proxies to it. */
  handler: lambda.IFunction;
  logging: RestoreLogging;
  /** Push completion's receiver: `POST /alerts`, for Atlas (lib/push.ts). */
  alertReceiver?: lambda.IFunction;
}

/**
 * The HTTP front door: IAM (SigV4) auth on every method, so only principals the account grants
 * `execute-api:Invoke` can start or cancel a restore. API Gateway checks only the envelope (a JSON
 * object body with known fields and typed overrides, the path id); the submit Lambda validates the
 * request itself with the domain schemas and refuses unknown query parameters and non-JSON bodies.
 */
export class RestoreApi extends Construct {
  readonly api: apigw.RestApi;
  readonly accessLogs: logs.LogGroup;
  readonly validator: apigw.RequestValidator;

  constructor(scope: Construct, id: string, props: RestoreApiProps) {
    super(scope, id);
    this.accessLogs = props.logging.logGroup(this, 'AccessLogs');
    this.api = new apigw.RestApi(this, 'Api', {
      description: 'Start, follow and cancel MongoDB Atlas restores; list their history; hold and release restore targets (GET /openapi.json describes it)',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // The account-wide API Gateway logging role is not this stack's to own; access logs cover requests.
      cloudWatchRole: false,
      defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },
      deployOptions: {
        stageName: API_STAGE,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
        tracingEnabled: true,
        metricsEnabled: true,
        throttlingRateLimit: API_THROTTLE.rateLimit,
        throttlingBurstLimit: API_THROTTLE.burstLimit,
        ...(props.alertReceiver
          ? { methodOptions: { [`/${ALERTS_PATH}/POST`]: { throttlingRateLimit: ALERTS_THROTTLE.rateLimit, throttlingBurstLimit: ALERTS_THROTTLE.burstLimit } } }
          : {}),
      },
    });
    this.validator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const restoreBody = this.api.addModel('StartRestoreBody', {
      contentType: 'application/json',
      modelName: 'StartRestoreBody',
      description: 'A plan by name (with optional overrides) or an ad-hoc restore request; the Lambda checks the details',
      schema: START_RESTORE_BODY,
    });

    // The handler never needs the console's test-invoke permission.
    const integration = new apigw.LambdaIntegration(props.handler, { proxy: true, allowTestInvoke: false });
    const restores = this.api.root.addResource('restores');
    const start = restores.addMethod('POST', integration, {
      requestValidator: this.validator,
      // `$default`: a body sent under any other Content-Type meets the same model (the Lambda answers 415).
      requestModels: { 'application/json': restoreBody, $default: restoreBody },
      // Optional: without it the Lambda derives one; with it a retried POST starts nothing new.
      requestParameters: { [`method.request.header.${IDEMPOTENCY_HEADER}`]: false },
    });
    // The restore history (functions/core/api/history.ts): the Lambda checks the values.
    const history = restores.addMethod('GET', integration, {
      requestValidator: this.validator,
      requestParameters: { 'method.request.querystring.plan': true, 'method.request.querystring.since': false, 'method.request.querystring.limit': false },
    });
    const restore = restores.addResource('{id}');
    const follow = restore.addMethod('GET', integration, {
      requestValidator: this.validator,
      requestParameters: { 'method.request.path.id': true },
    });
    const cancel = restore.addResource('cancel').addMethod('POST', integration, {
      requestValidator: this.validator,
      requestParameters: { 'method.request.path.id': true },
    });
    const holdMethods = this.addHoldRoutes(restores, integration);
    // The API's own OpenAPI document (functions/core/api/openapi.ts), behind IAM like the rest.
    const openApi = this.api.root.addResource('openapi.json').addMethod('GET', integration);
    this.acknowledgeFindings([start, history, follow, cancel, ...holdMethods, openApi]);
    if (props.alertReceiver) this.addAlertRoute(props.alertReceiver);
  }

  /**
   * `POST /alerts`: where Atlas delivers restore alerts. Atlas cannot sign SigV4, so this one method
   * has no IAM auth; the receiver authenticates each request by its HMAC signature under the
   * webhook secret (functions/core/push/receive.ts), refuses bodies over 64 KiB, and the method has
   * its own tight throttle.
   */
  private addAlertRoute(receiver: lambda.IFunction): void {
    const integration = new apigw.LambdaIntegration(receiver, { proxy: true, allowTestInvoke: false });
    const method = this.api.root.addResource(ALERTS_PATH).addMethod('POST', integration, { authorizationType: apigw.AuthorizationType.NONE });
    const reason =
      'Atlas delivers alert webhooks unsigned by AWS (it cannot do SigV4 or Cognito); each request is authenticated by its X-MMS-Signature HMAC under a secret in Secrets Manager, compared in constant time, and the method is throttled on its own.';
    Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason });
    Validations.of(method).acknowledge({ id: 'AwsSolutions-COG4', reason });
  }

  /** The receiver's URL, for Atlas's webhook notification. */
  get alertsUrl(): string {
    return `${this.api.url}${ALERTS_PATH}`;
  }

  /**
   * Holds (functions/core/api/holds.ts): `GET|POST /restores/holds`, and per target
   * `DELETE /restores/holds/{groupId}/{clusterName}` or `POST …/release`. A static `holds` beside
   * `{id}`: API Gateway matches the static segment first.
   */
  private addHoldRoutes(restores: apigw.Resource, integration: apigw.LambdaIntegration): apigw.Method[] {
    const holdBody = this.api.addModel('HoldTargetBody', {
      contentType: 'application/json',
      modelName: 'HoldTargetBody',
      description: 'The target to hold, for how long and why; the Lambda checks the details',
      schema: {
        schema: apigw.JsonSchemaVersion.DRAFT4,
        type: apigw.JsonSchemaType.OBJECT,
        properties: {
          target: { type: apigw.JsonSchemaType.OBJECT },
          forMinutes: { type: apigw.JsonSchemaType.INTEGER },
          for: { type: apigw.JsonSchemaType.STRING, maxLength: 16 },
          reason: { type: apigw.JsonSchemaType.STRING, minLength: 1, maxLength: 500 },
        },
        required: ['target', 'reason'],
        additionalProperties: false,
      },
    });
    const holds = restores.addResource('holds');
    const list = holds.addMethod('GET', integration);
    const place = holds.addMethod('POST', integration, { requestValidator: this.validator, requestModels: { 'application/json': holdBody, $default: holdBody } });
    const params = { 'method.request.path.groupId': true, 'method.request.path.clusterName': true };
    const held = holds.addResource('{groupId}').addResource('{clusterName}');
    const remove = held.addMethod('DELETE', integration, { requestValidator: this.validator, requestParameters: params });
    const release = held.addResource('release').addMethod('POST', integration, { requestValidator: this.validator, requestParameters: params });
    return [list, place, remove, release];
  }

  /** The invoke URL of the `v1` stage. */
  get url(): string {
    return this.api.url;
  }

  /** Each on what it excuses: the stage (WAF, execution logging) and each method (IAM, not Cognito). */
  private acknowledgeFindings(methods: apigw.Method[]): void {
    const stage = Validations.of(this.api.deploymentStage);
    stage.acknowledge({
      id: 'AwsSolutions-APIG3',
      reason: 'Every method requires IAM (SigV4) auth except, with push on, POST /alerts, which checks each request\'s HMAC signature and has its own throttle; the stage is throttled. WAF would add cost without adding a check that IAM or the signature does not already make.',
    });
    stage.acknowledge({
      id: 'AwsSolutions-APIG6',
      reason: 'Execution logging needs the account-wide API Gateway CloudWatch role, which this stack must not take over; JSON access logs record every request and Lambda logs record every decision.',
    });
    for (const method of methods)
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: 'Callers are AWS principals (engineers, pipelines) authenticated with IAM SigV4, not Cognito users.',
      });
  }
}
