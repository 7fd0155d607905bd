import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { median, pairedRatio } from '../../../bench/coldStart.js';
import { floorNeeds, floorSource } from '../../../bench/floors.js';

describe('cold-start floors', () => {
  it("reads a bundle's needs off its code: the SDK clients it imports, and undici if it holds undici", () => {
    const code = 'import{SNSClient as a}from"@aws-sdk/client-sns";import("@aws-sdk/client-dynamodb");const e="UND_ERR_CONNECT_TIMEOUT";import"@aws-sdk/client-sns";';
    expect(floorNeeds(code)).toEqual({ clients: ['client-dynamodb', 'client-sns'], undici: true });
    expect(floorNeeds('import{SFNClient}from"@aws-sdk/client-sfn";')).toEqual({ clients: ['client-sfn'], undici: false });
  });

  it('refuses a client it cannot name rather than leave it out of the floor', () => {
    expect(() => floorNeeds('import"@aws-sdk/client-s3";')).toThrow(/no client class known for @aws-sdk\/client-s3/);
  });

  it('a floor imports and instantiates each client, and undici only when asked', () => {
    const withAll = floorSource({ clients: ['client-sns', 'client-secrets-manager'], undici: true });
    expect(withAll).toContain("from '@aws-sdk/client-sns'");
    expect(withAll).toContain('new SNSClient(');
    expect(withAll).toContain('new SecretsManagerClient(');
    expect(withAll).toContain('new Agent()');
    expect(floorSource({ clients: [], undici: false })).not.toContain('undici');
  });
});

describe('cold-start statistics', () => {
  it('median of odd and even counts; ratios paired by round, so a slow round slows both sides', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(pairedRatio([200, 400, 220], [100, 200, 100])).toBe(2);
  });
});

describe('cold-start launcher', () => {
  it('starts every file once per round and reports each start, bare node first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'launcher-'));
    try {
      const empty = join(dir, 'empty.mjs');
      const other = join(dir, 'other.mjs');
      writeFileSync(empty, '');
      writeFileSync(other, 'export const x = 1;');
      const out = JSON.parse(execFileSync(process.execPath, ['bench/launcher.mjs', '3', empty, other], { encoding: 'utf8' })) as Record<string, number[]>;
      expect(Object.keys(out)).toEqual([empty, other]);
      for (const times of Object.values(out)) expect(times).toHaveLength(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails loudly when a bundle does not load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'launcher-'));
    try {
      const bad = join(dir, 'bad.mjs');
      writeFileSync(bad, 'throw new Error("boom")');
      expect(() => execFileSync(process.execPath, ['bench/launcher.mjs', '1', bad, bad], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/exited 1/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
