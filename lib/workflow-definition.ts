import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildRestoreApp, SKIP_BUNDLING_CONTEXT } from './app.js';
import { HANDLER_NAMES, type FunctionName } from './functions.js';

/**
 * The state machine definition CDK deploys, as plain ASL JSON that aws-local-stepfunctions can run:
 * the integration tests and the local runner execute exactly this, with local handlers behind the
 * Task states. CloudFormation tokens are replaced by fixed fake values.
 */

const FAKE_REGION = 'us-east-1';
const FAKE_ACCOUNT = '123456789012';

/** The fake ARN a Task's FunctionName resolves to, e.g. `arn:aws:lambda:us-east-1:123456789012:function:createRestore`. */
export function fakeFunctionArn(name: FunctionName): string {
  return `arn:aws:lambda:${FAKE_REGION}:${FAKE_ACCOUNT}:function:${name}`;
}

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': FAKE_REGION,
  'AWS::AccountId': FAKE_ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
};

/**
 * Resolves the CloudFormation intrinsics CDK puts in a DefinitionString (`Fn::Join`, `Ref` of pseudo
 * parameters and functions, `Fn::GetAtt … Arn` of functions). `functionsByLogicalId` maps a Lambda's
 * logical id to its handler name. Anything else throws: a silent wrong ARN would be worse.
 */
export function resolveIntrinsics(value: unknown, functionsByLogicalId: Record<string, FunctionName>): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (Array.isArray(obj['Fn::Join'])) {
      const [separator, parts] = obj['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => resolveIntrinsics(p, functionsByLogicalId)).join(separator);
    }
    if (typeof obj.Ref === 'string') {
      const pseudo = PSEUDO_PARAMETERS[obj.Ref];
      if (pseudo !== undefined) return pseudo;
      const fn = functionsByLogicalId[obj.Ref];
      if (fn) return fn;
    }
    if (Array.isArray(obj['Fn::GetAtt'])) {
      const [logicalId, attribute] = obj['Fn::GetAtt'] as [string, string];
      const fn = functionsByLogicalId[logicalId];
      if (fn && attribute === 'Arn') return fakeFunctionArn(fn);
    }
  }
  throw new Error(`Cannot resolve ${JSON.stringify(value)} in the state machine definition`);
}

/**
 * Builds the stack (bundling skipped, no nag: only the definition is wanted) and returns the
 * resolved definition. `plansConfig` does not change the definition; it is accepted so a caller
 * can build exactly the stack it deploys.
 */
export function synthesizeWorkflowDefinition(options: { plansConfig?: unknown } = {}): object {
  const { stack } = buildRestoreApp({ context: SKIP_BUNDLING_CONTEXT, plansConfig: options.plansConfig ?? {}, nag: false });
  const functionsByLogicalId: Record<string, FunctionName> = {};
  const functions: [FunctionName, lambda.IFunction][] = [
    ...HANDLER_NAMES.map((name): [FunctionName, lambda.IFunction] => [name, stack.functions.byName(name)]),
    ...(Object.entries(stack.functions.push ?? {}) as [FunctionName, lambda.IFunction][]),
  ];
  for (const [name, fn] of functions) {
    const cfn = fn.node.defaultChild as lambda.CfnFunction;
    functionsByLogicalId[stack.resolve(stack.getLogicalId(cfn)) as string] = name;
  }
  const cfnMachine = stack.workflow.stateMachine.node.defaultChild as sfn.CfnStateMachine;
  const definition = JSON.parse(resolveIntrinsics(stack.resolve(cfnMachine.definitionString), functionsByLogicalId)) as object;
  if (cfnMachine.definitionSubstitutions !== undefined) {
    throw new Error('The state machine uses DefinitionSubstitutions; resolve them here before running it locally');
  }
  return definition;
}
