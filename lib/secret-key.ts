import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * A secret under a customer managed KMS key is unreadable without kms:Decrypt on that key. The
 * grant is narrowed twice so it cannot decrypt anything else the key protects: only through
 * Secrets Manager in this region (kms:ViaService), and only for the named secrets (Secrets Manager
 * puts the secret's ARN in the encryption context).
 */
export function grantSecretKeyDecrypt(fn: lambda.IFunction, keyArn: string, secretNames: readonly string[]): void {
  if (!secretNames.length) return;
  const stack = Stack.of(fn);
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.${stack.urlSuffix}` },
        StringLike: {
          'kms:EncryptionContext:SecretARN': secretNames.map((name) =>
            // Secrets Manager appends six random characters to a secret's name in its ARN.
            Arn.format({ service: 'secretsmanager', resource: 'secret', resourceName: `${name}-??????`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, stack),
          ),
        },
      },
    }),
  );
}

/** `arn:…:secret:<name>-??????`: a secret known by name, whatever random suffix Secrets Manager gave it. */
function secretArnForPolicies(scope: IConstruct, secretName: string): string {
  return Stack.of(scope).formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${secretName}-??????`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/** GetSecretValue on these secrets, and nothing else (grantRead would add DescribeSecret, which no handler calls). */
export function grantSecretValue(fn: lambda.IFunction, scope: IConstruct, secretNames: readonly string[]): void {
  for (const name of secretNames)
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretArnForPolicies(scope, name)] }));
}
