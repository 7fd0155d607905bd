import * as cronValidateModule from 'cron-validate';

/**
 * EventBridge Scheduler expressions, checked in full before CloudFormation (or a 03:00 that never
 * comes) finds the mistake: `cron(minutes hours day-of-month month day-of-week year)` with AWS's
 * ranges, names (JAN-DEC, SUN-SAT), `L`, `W`, `#`, and the rule that exactly one of the two day fields
 * is `?`; and `rate(value unit)`. cron-validate's AWS preset does the cron fields; its messages are
 * put in the words of AWS's documentation here. Each function returns the problems, empty when valid.
 */

type CronValidate = (cron: string, options: { preset: string }) => { isValid(): boolean; getError(): string[] };

// A CommonJS module with `exports.default`: Node's ESM loader, tsx and esbuild each hand it over
// with one more or one less `.default`; take the function wherever it is.
const cronValidate: CronValidate = (() => {
  const m = cronValidateModule as unknown as { default: CronValidate | { default: CronValidate } };
  return typeof m.default === 'function' ? m.default : m.default.default;
})();

const FIELD_WORDS: Record<string, string> = {
  minutes: 'minutes',
  hours: 'hours',
  daysOfMonth: 'day-of-month',
  months: 'month',
  daysOfWeek: 'day-of-week',
  years: 'year',
};

/** cron-validate speaks of its own options and field names; people know AWS's. */
function reword(message: string): string {
  const text = message.replace(/\s*\(Input cron: '.*'\)$/, '').replace(/\.$/, '');
  if (/Cannot specify both daysOfMonth and daysOfWeek/.test(text))
    return 'one of day-of-month and day-of-week must be ? (AWS does not combine them), e.g. cron(0 3 * * ? *) or cron(0 3 ? * MON-FRI *)';
  if (/Cannot use blank value in daysOfMonth and daysOfWeek/.test(text)) return 'day-of-month and day-of-week cannot both be ?';
  return text.replace(/\b(minutes|hours|daysOfMonth|months|daysOfWeek|years) field\b/g, (_, f: string) => `${FIELD_WORDS[f]} field`);
}

export const CRON_EXAMPLE = 'cron(0 3 * * ? *)';
export const RATE_EXAMPLE = 'rate(6 hours)';

export function cronProblems(expression: string): string[] {
  const inner = /^cron\((.*)\)$/.exec(expression.trim())?.[1]?.trim();
  if (inner === undefined) return [`must be cron(minutes hours day-of-month month day-of-week year), e.g. ${CRON_EXAMPLE}`];
  const fields = inner.split(/\s+/);
  if (fields.length !== 6) return [`has ${fields.length} fields; an AWS cron has 6 (minutes hours day-of-month month day-of-week year), e.g. ${CRON_EXAMPLE}`];
  const result = cronValidate(inner, { preset: 'aws-cloud-watch' });
  return result.isValid() ? [] : [...new Set(result.getError().map(reword))];
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;

/** `rate(1 hour)`, `rate(5 minutes)`: a whole number of at least 1, singular unit for 1 and plural above, as AWS requires. */
export function rateProblems(expression: string): string[] {
  const match = RATE.exec(expression.trim());
  if (!match) return [`must be rate(value unit) with a whole number and minute(s), hour(s) or day(s), e.g. ${RATE_EXAMPLE}`];
  const value = Number(match[1]);
  const unit = match[2]!;
  if (value < 1) return ['the value must be at least 1'];
  const plural = unit.endsWith('s');
  if (value === 1 && plural) return [`use the singular with 1: rate(1 ${unit.slice(0, -1)})`];
  if (value > 1 && !plural) return [`use the plural above 1: rate(${value} ${unit}s)`];
  return [];
}

/** Minutes between two runs of a valid rate expression (the "did not succeed" alarm's window). */
export function rateMinutes(expression: string): number | undefined {
  const match = RATE.exec(expression.trim());
  if (!match) return undefined;
  const per: Record<string, number> = { minute: 1, hour: 60, day: 24 * 60 };
  return Number(match[1]) * per[match[2]!.replace(/s$/, '')]!;
}

/** The expression a plan's schedule gives EventBridge Scheduler (the schema requires exactly one). */
export const scheduleExpressionOf = (schedule: { cron?: string | undefined; rate?: string | undefined }): string =>
  schedule.cron ?? schedule.rate ?? '';
