import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANDLER_NAMES, PROJECT_ROOT, type HandlerName } from '../lib/functions.js';
import { loadPlansFile } from '../lib/plans.js';
import { buildFloor, floorNeeds } from './floors.js';
import { synthBundles } from './synthBundles.js';

/**
 * Each handler bundled exactly as `cdk synth` bundles it (esbuild through NodejsFunction, minified
 * ESM, @aws-sdk/* left to the runtime) and its floor (./floors.ts), started as fresh Node processes
 * by a small launcher (./launcher.mjs) interleaved with bare node, round after round: per bundle
 * the median start time and the median of its per-round ratios to bare node and to its floor.
 * The bundles are copied under the project so their `@aws-sdk/*` imports resolve from
 * node_modules, as the Lambda runtime provides them.
 */

interface ColdStartRow {
  bundle: string;
  kB: number;
  medianMs: number;
  timesBare: number;
  /** Handlers only: median per-round ratio to the handler's floor. */
  timesFloor?: number;
  /** Floors only: what the floor holds. */
  holds?: string;
}

export interface ColdStartResult {
  rounds: number;
  bareMs: number;
  rows: ColdStartRow[];
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The median over rounds of a[r] / b[r]: both started in the same round, close together in time. */
export function pairedRatio(a: number[], b: number[]): number {
  return median(a.map((x, r) => x / b[r]!));
}

/** Builds the handlers with a real synth and copies them to `dir`/<name>/index.mjs. */
function synthHandlers(dir: string): Record<HandlerName, string> {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-cdk-'));
  try {
    const bundles = synthBundles(loadPlansFile(), outdir);
    const files = {} as Record<HandlerName, string>;
    for (const name of HANDLER_NAMES) {
      mkdirSync(join(dir, name), { recursive: true });
      files[name] = join(dir, name, 'index.mjs');
      cpSync(join(bundles[name], 'index.mjs'), files[name]);
    }
    return files;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export function measureColdStarts(rounds = 15): ColdStartResult {
  const dir = join(PROJECT_ROOT, 'bench', '.bundles');
  rmSync(dir, { recursive: true, force: true });
  try {
    const handlers = synthHandlers(dir);
    const empty = join(dir, 'empty.mjs');
    writeFileSync(empty, '');
    const floors = {} as Record<HandlerName, { file: string; holds: string }>;
    for (const name of HANDLER_NAMES) {
      const needs = floorNeeds(readFileSync(handlers[name], 'utf8'));
      const file = join(dir, `${name}-floor`, 'index.mjs');
      buildFloor(needs, file);
      floors[name] = { file, holds: ['zod', ...(needs.undici ? ['undici'] : []), ...needs.clients].join(' + ') };
    }
    const files = [empty, ...HANDLER_NAMES.flatMap((n) => [handlers[n], floors[n].file])];
    const out = execFileSync(process.execPath, [join(PROJECT_ROOT, 'bench', 'launcher.mjs'), String(rounds), ...files], {
      encoding: 'utf8',
      // What Lambda sets that the bundles read at load; nothing of the bench's own environment.
      env: { PATH: process.env.PATH ?? '', POWERTOOLS_SERVICE_NAME: 'bench', AWS_REGION: 'us-east-1', LOG_LEVEL: 'INFO' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const times = JSON.parse(out) as Record<string, number[]>;
    const bare = times[empty]!;
    const row = (bundle: string, file: string, extra: Partial<ColdStartRow>): ColdStartRow => ({
      bundle,
      kB: Math.round(statSync(file).size / 1024),
      medianMs: median(times[file]!),
      timesBare: pairedRatio(times[file]!, bare),
      ...extra,
    });
    const rows: ColdStartRow[] = [{ bundle: 'bare node', kB: 0, medianMs: median(bare), timesBare: 1 }];
    for (const name of HANDLER_NAMES) {
      rows.push(row(name, handlers[name], { timesFloor: pairedRatio(times[handlers[name]]!, times[floors[name].file]!) }));
      rows.push(row(`  its floor`, floors[name].file, { holds: floors[name].holds }));
    }
    return { rounds, bareMs: median(bare), rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
