import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { readWebhookSecret } from '../../../local/commands/alerts.js';

/** Where `alerts setup` gets the receiver's secret: Secrets Manager by name, or the environment. */

const secrets = mockClient(SecretsManagerClient);
beforeEach(() => secrets.reset());

describe('the webhook secret for alerts setup', () => {
  it('reads a plain SecretString by name', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: 'atlas-restore/alerts' }).resolves({ SecretString: 'whsec-plain-1234' });
    expect(await readWebhookSecret('atlas-restore/alerts', {})).toBe('whsec-plain-1234');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('reads the secret or webhookSecret field of a JSON secret, and refuses JSON without one', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: 'a' }).resolves({ SecretString: '{"secret":"whsec-json-1"}' });
    secrets.on(GetSecretValueCommand, { SecretId: 'b' }).resolves({ SecretString: '{"webhookSecret":"whsec-json-2"}' });
    secrets.on(GetSecretValueCommand, { SecretId: 'c' }).resolves({ SecretString: '{"password":"whsec-json-3"}' });
    expect(await readWebhookSecret('a', {})).toBe('whsec-json-1');
    expect(await readWebhookSecret('b', {})).toBe('whsec-json-2');
    const error = await readWebhookSecret('c', {}).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('The secret "c" is JSON without a "secret" or "webhookSecret" string');
  });

  it('names the failure, never a value, when Secrets Manager refuses', async () => {
    secrets.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'not there', $metadata: {} }));
    await expect(readWebhookSecret('missing', {})).rejects.toMatchObject({
      message: 'Could not read the webhook secret "missing" from Secrets Manager: ResourceNotFoundException',
    });
  });

  it('takes ATLAS_ALERT_WEBHOOK_SECRET without a name, and says how to give one when neither is there', async () => {
    expect(await readWebhookSecret(undefined, { ATLAS_ALERT_WEBHOOK_SECRET: 'whsec-env-1' })).toBe('whsec-env-1');
    await expect(readWebhookSecret(undefined, {})).rejects.toThrow('--secret-name NAME (Secrets Manager) or ATLAS_ALERT_WEBHOOK_SECRET');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });
});
