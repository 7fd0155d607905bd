import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config-error.js';
import { closestContextKey, unknownContextKeyWarnings } from '../../lib/context-keys.js';
import { synthesize } from './helpers.js';

describe('context keys at synth', () => {
  it('warns about a key the app does not read, naming the key probably meant', () => {
    const s = synthesize({ context: { natGateway: '2' } });
    Annotations.fromStack(s.stack).hasWarning(
      '*',
      Match.stringLikeRegexp('Context key "natGateway" is not one this app reads and is ignored: did you mean "natGateways"\\?'),
    );
  });

  it("leaves CDK's own keys and the app's keys alone", () => {
    expect(unknownContextKeyWarnings(['@aws-cdk/core:checkSecretUsage', 'aws:cdk:bundling-stacks', 'availability-zones:account=1:region=x', 'plansFile', 'egress'])).toEqual([]);
  });

  it('suggests only a key that is close', () => {
    expect(closestContextKey('alarmEmial')).toBe('alarmEmail');
    expect(closestContextKey('plansfile')).toBe('plansFile');
    expect(closestContextKey('colour')).toBeUndefined();
    expect(unknownContextKeyWarnings(['colour'])[0]!.warning).toMatch(/^Context key "colour" is not one this app reads and is ignored \(known keys: plansFile, /);
  });

  it('refuses an alarmEmail that is not an email address, as a ConfigError naming the key', () => {
    const bad = () => synthesize({ context: { alarmEmail: 'not-an-email' } });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow('Context value "alarmEmail" must be one email address such as dba@example.com; got "not-an-email"');
    expect(() => synthesize({ context: { alarmEmail: 'a@example.com,b@example.com' } })).toThrow(/alarmEmail/);
  });
});
