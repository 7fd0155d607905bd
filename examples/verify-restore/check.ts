import * as z from 'zod';

/**
 * What the verification checks, and the check itself, without a database: the handler (./index.ts)
 * reads the numbers from MongoDB and hands them here, so the rules are tested without one.
 *
 * Settings come from the function's environment (`VERIFY_CHECKS`, JSON), so one deployed function
 * serves one plan's target: which database, how many documents each collection must hold at least
 * (and at most, to catch a restore of the wrong data set), and which collection holds the marker
 * documents the application writes regularly (e.g. a heartbeat every minute) and how old the newest
 * may be. The marker is what measures the RPO in the data itself.
 */

const CollectionName = z.string().min(1).max(120).regex(/^[^$\0]+$/, 'must not contain $ or NUL');

export const CheckSettings = z
  .object({
    database: z.string().min(1).max(63).regex(/^[^/\\. "$*<>:|?\0]+$/, 'must be a MongoDB database name'),
    collections: z
      .record(
        CollectionName,
        z
          .object({ min: z.number().int().min(0), max: z.number().int().min(0).optional() })
          .strict()
          .refine((c) => c.max === undefined || c.max >= c.min, { message: 'max must be at least min', path: ['max'] }),
      )
      .refine((c) => Object.keys(c).length > 0, 'must name at least one collection'),
    marker: z
      .object({
        collection: CollectionName,
        /** The field holding the marker's time (a BSON date or an ISO-8601 string). */
        field: z.string().min(1).max(120).regex(/^[^$\0]+$/, 'must not contain $ or NUL').default('at'),
        /** The largest RPO measured in the data that is acceptable: trigger time minus the newest marker. */
        maxAgeMinutes: z.number().positive(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type CheckSettings = z.infer<typeof CheckSettings>;

/** What the handler found in the restored data. */
export interface Observed {
  counts: Record<string, number>;
  /** The newest marker's time; undefined when the marker collection is empty or has no readable time. */
  newestMarkerAt?: Date;
}

/** The answer the post-restore step records (the report shows it; `newestMarkerAt` feeds the history's RPO). */
export interface Verdict {
  passed: boolean;
  counts: Record<string, number>;
  newestMarkerAt?: string;
  /** Each rule that failed, in words. */
  failures: string[];
}

/** Reads `VERIFY_CHECKS`; a mistake names the field and the rule (and never echoes a secret: there is none here). */
export function readSettings(text: string | undefined): CheckSettings {
  if (!text) throw new Error('VERIFY_CHECKS is not set: it holds the checks as JSON (see README.md)');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('VERIFY_CHECKS is not valid JSON');
  }
  const parsed = CheckSettings.safeParse(raw);
  if (!parsed.success)
    throw new Error(`VERIFY_CHECKS is not valid: ${parsed.error.issues.map((i) => `${['VERIFY_CHECKS', ...i.path.map(String)].join('.')} ${i.message}`).join('; ')}`);
  return parsed.data;
}

/**
 * The check: every collection's count within its bounds, and the newest marker no older than
 * `maxAgeMinutes` before `reference` (the restore's trigger time; now when it has none). A marker
 * newer than the reference is accepted: clocks differ, and it is not a loss of data.
 */
export function judge(settings: CheckSettings, observed: Observed, reference: Date): Verdict {
  const failures: string[] = [];
  for (const [name, bounds] of Object.entries(settings.collections)) {
    const count = observed.counts[name];
    if (count === undefined) failures.push(`${settings.database}.${name} was not counted`);
    else if (count < bounds.min) failures.push(`${settings.database}.${name} has ${count} documents, fewer than ${bounds.min}`);
    else if (bounds.max !== undefined && count > bounds.max) failures.push(`${settings.database}.${name} has ${count} documents, more than ${bounds.max}`);
  }
  const marker = settings.marker;
  if (marker) {
    const at = observed.newestMarkerAt;
    if (!at || Number.isNaN(at.getTime())) failures.push(`${settings.database}.${marker.collection} has no marker with a time in "${marker.field}"`);
    else {
      const ageMinutes = (reference.getTime() - at.getTime()) / 60_000;
      if (ageMinutes > marker.maxAgeMinutes)
        failures.push(`the newest marker (${at.toISOString()}) is ${Math.round(ageMinutes)} minutes older than the trigger, more than ${marker.maxAgeMinutes}`);
    }
  }
  const newest = observed.newestMarkerAt && !Number.isNaN(observed.newestMarkerAt.getTime()) ? observed.newestMarkerAt.toISOString() : undefined;
  return { passed: failures.length === 0, counts: observed.counts, ...(newest ? { newestMarkerAt: newest } : {}), failures };
}

/** The marker's time as stored: a BSON date arrives as a Date, an ISO string or epoch millis as themselves. */
export function markerTime(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    const at = new Date(value);
    return Number.isNaN(at.getTime()) ? undefined : at;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  return undefined;
}

/** The restore's trigger time from the step's input (`{restore: {trigger: {time}}}`), else now. */
export function referenceTime(event: unknown, now: Date): Date {
  const time = (event as { restore?: { trigger?: { time?: unknown } } } | undefined)?.restore?.trigger?.time;
  const at = typeof time === 'string' ? new Date(time) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : now;
}
