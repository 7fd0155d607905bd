import { describe, expect, it } from 'vitest';
import { cronProblems, rateMinutes, rateProblems } from '../../../functions/core/plans/scheduleExpression.js';

describe('EventBridge Scheduler cron expressions', () => {
  it.each([
    'cron(0 3 * * ? *)',
    'cron(0 3 ? * MON-FRI *)',
    'cron(0/15 8-18 ? * mon,wed,fri *)',
    'cron(0 3 L * ? *)',
    'cron(0 3 15W * ? *)',
    'cron(0 3 ? * 6#3 *)',
    'cron(0 3 ? * 6L *)',
    'cron(30 2 1 JAN-MAR ? 2027-2030)',
  ])('accepts %s', (cron) => {
    expect(cronProblems(cron)).toEqual([]);
  });

  it.each([
    ['cron(0 25 * * ? *)', "Number '25' of hours field is bigger than upper limit '23'"],
    ['cron(61 3 * * ? *)', "Number '61' of minutes field is bigger than upper limit '59'"],
    ['cron(0 3 32 * ? *)', "Number '32' of day-of-month field is bigger than upper limit '31'"],
    ['cron(0 3 ? 13 * *)', "Number '13' of month field is bigger than upper limit '12'"],
    ['cron(0 3 ? * 0 *)', "Number '0' of day-of-week field is smaller than lower limit '1'"],
    ['cron(0 3 * * ? 1969)', "Number '1969' of year field is smaller than lower limit '1970'"],
    ['cron(a b c d e f)', "Element 'a' of minutes field is invalid"],
    ['cron(0 3 ? * 6#6 *)', 'Number of occurrence of the day of the week cannot be greater than 5'],
  ])('refuses %s, saying which field and why', (cron, problem) => {
    expect(cronProblems(cron)).toContain(problem);
  });

  it('states the ? rule in AWS terms: exactly one day field is ?', () => {
    expect(cronProblems('cron(0 3 * * * *)')).toEqual([
      'one of day-of-month and day-of-week must be ? (AWS does not combine them), e.g. cron(0 3 * * ? *) or cron(0 3 ? * MON-FRI *)',
    ]);
    expect(cronProblems('cron(0 3 ? * ? *)')).toEqual(['day-of-month and day-of-week cannot both be ?']);
  });

  it('counts the fields and wants the cron(...) wrapper', () => {
    expect(cronProblems('cron(0 3 * * ?)')[0]).toMatch(/^has 5 fields; an AWS cron has 6/);
    expect(cronProblems('0 3 * * ? *')[0]).toMatch(/^must be cron\(minutes hours/);
  });
});

describe('EventBridge Scheduler rate expressions', () => {
  it.each(['rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(6 hours)', 'rate(1 day)', 'rate(7 days)'])('accepts %s', (rate) => {
    expect(rateProblems(rate)).toEqual([]);
  });

  it.each([
    ['rate(0 minutes)', 'the value must be at least 1'],
    ['rate(1 hours)', 'use the singular with 1: rate(1 hour)'],
    ['rate(5 minute)', 'use the plural above 1: rate(5 minutes)'],
    ['rate(2 weeks)', 'must be rate(value unit) with a whole number and minute(s), hour(s) or day(s), e.g. rate(6 hours)'],
    ['rate(1.5 hours)', 'must be rate(value unit) with a whole number and minute(s), hour(s) or day(s), e.g. rate(6 hours)'],
  ])('refuses %s', (rate, problem) => {
    expect(rateProblems(rate)).toEqual([problem]);
  });

  it('gives the minutes between runs', () => {
    expect([rateMinutes('rate(1 minute)'), rateMinutes('rate(6 hours)'), rateMinutes('rate(2 days)')]).toEqual([1, 360, 2880]);
  });
});
