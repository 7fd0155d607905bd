import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildRestoreApp, SKIP_BUNDLING_CONTEXT } from '../../lib/app.js';
import { HANDLER_NAMES } from '../../lib/functions.js';
import { fixturePlans, statementsOfRole, synthesize, type Synthesized } from './helpers.js';

/** Webhook URL and Atlas secrets under a customer managed KMS key (context webhookSecretKmsKeyArn, atlasSecretKmsKeyArn). */

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const roleOf = (s: Synthesized, name: (typeof HANDLER_NAMES)[number]) => s.logicalId(s.stack.functions.byName(name).role!);
const decryptsOn = (s: Synthesized, name: (typeof HANDLER_NAMES)[number]) =>
  statementsOfRole(s.template, roleOf(s, name)).filter((st) => st.Resource === KEY_ARN);

describe('webhookSecretKmsKeyArn', () => {
  it('lets notify decrypt with that key only through Secrets Manager, and only for the webhook secrets', () => {
    const s = synthesize({ context: { webhookSecretKmsKeyArn: KEY_ARN } });
    const statements = decryptsOn(s, 'notifyRestore');
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: KEY_ARN,
        Condition: {
          StringEquals: {
            'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] },
          },
          StringLike: { 'kms:EncryptionContext:SecretARN': [expect.anything(), expect.anything()] },
        },
      },
    ]);
    const secretArns = JSON.stringify((statements[0] as unknown as { Condition: unknown }).Condition);
    expect(secretArns).toContain(':secret:team/slack-hook-??????');
    expect(secretArns).toContain(':secret:team/teams-hook-??????');
    for (const name of ['submitRestore', 'createRestore', 'pollRestore', 'cancelRestore'] as const) expect(decryptsOn(s, name)).toEqual([]);
  });

  it('grants nothing on any other key without it (only aws/secretsmanager secrets are readable)', () => {
    const s = synthesize();
    const notify = statementsOfRole(s.template, roleOf(s, 'notifyRestore'));
    expect(JSON.stringify(notify)).not.toContain('kms:ViaService');
  });

  it('warns, and grants nothing, when no plan names a webhook', () => {
    const s = synthesize({ context: { webhookSecretKmsKeyArn: KEY_ARN }, plansConfig: { plans: [] } });
    expect(decryptsOn(s, 'notifyRestore')).toEqual([]);
    Annotations.fromStack(s.stack).hasWarning('/AtlasRestore/Notifications', Match.stringLikeRegexp('webhookSecretKmsKeyArn.*no plan names a webhook'));
  });

  it.each([
    'arn:aws:kms:eu-west-1:123456789012:alias/webhooks',
    '1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:team/slack-hook',
  ])('refuses %s at synth, naming the setting', (value) => {
    expect(() => synthesize({ context: { webhookSecretKmsKeyArn: value } })).toThrow(/Context value "webhookSecretKmsKeyArn" must be a KMS key ARN \(not an alias\)/);
  });

  it('accepts a multi-Region key', () => {
    const mrk = 'arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab';
    expect(() => synthesize({ context: { webhookSecretKmsKeyArn: mrk } })).not.toThrow();
  });

  it('keeps cdk-nag (AwsSolutions + Serverless) clean', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'webhook-key-nag-'));
    const { app } = buildRestoreApp({ plansConfig: fixturePlans, outdir, context: { ...SKIP_BUNDLING_CONTEXT, webhookSecretKmsKeyArn: KEY_ARN } });
    expect(() => app.synth()).not.toThrow();
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: { violations: unknown[] }[] };
    expect(report.pluginReports.flatMap((p) => p.violations)).toEqual([]);
  });
});

describe('atlasSecretKmsKeyArn', () => {
  const ATLAS_CALLERS = ['submitRestore', 'createRestore', 'pollRestore', 'cancelRestore'] as const;

  it('lets exactly the functions that call Atlas decrypt the Atlas secret with that key, through Secrets Manager', () => {
    const s = synthesize({ context: { atlasSecretKmsKeyArn: KEY_ARN, atlasSecretName: 'team/atlas-restore' } });
    for (const name of ATLAS_CALLERS) {
      const statements = decryptsOn(s, name);
      expect(statements, name).toHaveLength(1);
      const condition = JSON.stringify((statements[0] as unknown as { Condition: unknown }).Condition);
      expect(condition).toContain('kms:ViaService');
      expect(condition).toContain(':secret:team/atlas-restore-??????');
      expect(condition).not.toContain('slack-hook');
    }
    expect(decryptsOn(s, 'notifyRestore')).toEqual([]);
  });

  it('grants no key without it', () => {
    const s = synthesize();
    for (const name of ATLAS_CALLERS) expect(JSON.stringify(statementsOfRole(s.template, roleOf(s, name)))).not.toContain('kms:ViaService');
  });

  it('refuses an alias at synth, naming the setting', () => {
    expect(() => synthesize({ context: { atlasSecretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:alias/atlas' } })).toThrow(
      /Context value "atlasSecretKmsKeyArn" must be a KMS key ARN \(not an alias\)/,
    );
  });

  it('keeps cdk-nag (AwsSolutions + Serverless) clean', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'atlas-key-nag-'));
    const { app } = buildRestoreApp({ plansConfig: fixturePlans, outdir, context: { ...SKIP_BUNDLING_CONTEXT, atlasSecretKmsKeyArn: KEY_ARN } });
    expect(() => app.synth()).not.toThrow();
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: { violations: unknown[] }[] };
    expect(report.pluginReports.flatMap((p) => p.violations)).toEqual([]);
  });
});
