import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config-error.js';
import { closestContextKey, unknownContextKeys } from '../../lib/context-keys.js';
import { synthesize } from './helpers.js';

describe('context keys at synth', () => {
  it('stops synth on a key the app does not read, naming the key probably meant (a ConfigError: exit 2)', () => {
    for (const [key, meant] of [['natGateway', 'natGateways'], ['alarmEmial', 'alarmEmail']] as const) {
      const bad = () => synthesize({ context: { [key]: '2' } });
      expect(bad).toThrow(ConfigError);
      expect(bad).toThrow(`Context key "${key}" is not one this app reads: did you mean "${meant}"?`);
    }
  });

  it("leaves CDK's own keys and the app's keys alone", () => {
    expect(unknownContextKeys(['@aws-cdk/core:checkSecretUsage', 'aws:cdk:bundling-stacks', 'availability-zones:account=1:region=x', 'plansFile', 'egress'])).toEqual([]);
  });

  it('suggests only a key that is close', () => {
    expect(closestContextKey('alarmEmial')).toBe('alarmEmail');
    expect(closestContextKey('plansfile')).toBe('plansFile');
    expect(closestContextKey('colour')).toBeUndefined();
    expect(unknownContextKeys(['colour'])[0]!.problem).toMatch(/^Context key "colour" is not one this app reads \(known keys: plansFile, /);
  });

  it('refuses an alarmEmail that is not an email address, as a ConfigError naming the key', () => {
    const bad = () => synthesize({ context: { alarmEmail: 'not-an-email' } });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow('Context value "alarmEmail" must be one email address such as dba@example.com; got "not-an-email"');
    expect(() => synthesize({ context: { alarmEmail: 'a@example.com,b@example.com' } })).toThrow(/alarmEmail/);
  });

  // Every context key the app reads, each with values that must stop synth (egress keys: egress.test.ts).
  it.each<{ key: string; value: unknown; why: string }>([
    { key: 'atlasSecretName', value: 'bad name!', why: 'a space and !' },
    { key: 'atlasSecretName', value: 'atlas/restore key', why: 'a space' },
    { key: 'atlasSecretName', value: 'clé-atlas', why: 'a letter outside ASCII' },
    { key: 'atlasSecretName', value: 'x'.repeat(513), why: 'over 512 characters' },
    { key: 'atlasSecretName', value: 42, why: 'not a string' },
    { key: 'alarmEmail', value: 'not-an-email', why: 'not an email address' },
    { key: 'opsTopicArn', value: 'arn:aws:sqs:eu-west-1:123456789012:ops', why: 'a queue ARN' },
    { key: 'opsTopicArn', value: 'ops-alarms', why: 'a name, not an ARN' },
    { key: 'atlasSecretKmsKeyArn', value: 'alias/atlas', why: 'an alias' },
    { key: 'webhookSecretKmsKeyArn', value: 'arn:aws:kms:eu-west-1:123456789012:alias/hooks', why: 'an alias ARN' },
    { key: 'plansFile', value: 'config/no-such-plans.json', why: 'no such file' },
  ])('$key ($why) stops synth with a ConfigError naming the key', ({ key, value }) => {
    const bad = () => synthesize({ context: { [key]: value } });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(`Context value "${key}"`);
  });

  it('takes an atlasSecretName made of everything Secrets Manager allows, and grants reading exactly it', () => {
    const name = 'atlas/restore_api-key+v1=prod.eu@team';
    const s = synthesize({ context: { atlasSecretName: name } });
    expect(JSON.stringify(s.template.toJSON())).toContain(`secret:${name}-??????`);
  });
});
