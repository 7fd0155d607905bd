import { Sha256 } from '@aws-crypto/sha256-js';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { request } from 'undici';

/**
 * Invokes a deployed Lambda function once, synchronously (Lambda's Invoke API, SigV4 service
 * `lambda`, credentials from the usual chain). Used by `reports replay`: the notify function holds
 * the channels, the delivery records and the kept reports, so the replay runs there.
 */

export interface InvokeOptions {
  functionName: string;
  region?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Tests: another endpoint than https://lambda.<region>.amazonaws.com. */
  endpoint?: string;
}

class InvokeError extends Error {
  override name = 'InvokeError';
}

export async function invokeFunction(payload: unknown, options: InvokeOptions): Promise<unknown> {
  const region = options.region ?? process.env.AWS_REGION ?? /^arn:aws[^:]*:lambda:([a-z0-9-]+):/.exec(options.functionName)?.[1];
  if (!region) throw new InvokeError('Cannot tell the AWS region: pass --region or set AWS_REGION');
  const url = new URL(`/2015-03-31/functions/${encodeURIComponent(options.functionName)}/invocations`, options.endpoint ?? `https://lambda.${region}.amazonaws.com`);
  const body = JSON.stringify(payload);
  const signer = new SignatureV4({ service: 'lambda', region, credentials: options.credentials ?? fromNodeProviderChain(), sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    headers: { host: url.host, 'content-type': 'application/json' },
    body,
  });
  const res = await request(url, { method: 'POST', headers: signed.headers as Record<string, string>, body });
  const text = await res.body.text();
  const functionError = res.headers['x-amz-function-error'];
  let answer: unknown = text;
  try {
    answer = text ? JSON.parse(text) : undefined;
  } catch {
    // shown as text
  }
  if (res.statusCode >= 300 || functionError) {
    const what = (answer as { errorType?: string; errorMessage?: string; message?: string } | undefined) ?? {};
    throw new InvokeError(`Lambda answered ${res.statusCode}${functionError ? ` (${String(functionError)})` : ''}: ${what.errorType ?? ''} ${what.errorMessage ?? what.message ?? text}`.trim());
  }
  return answer;
}
