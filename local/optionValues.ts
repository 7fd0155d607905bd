import type * as z from 'zod';
import { IdempotencyKey, RestoreId } from '../functions/core/api/schemas.js';
import { readSince, SINCE_RULE } from '../functions/core/history/since.js';
import { PlanName } from '../functions/core/plans/schema.js';
import { EpochSeconds, ObjectId } from '../functions/core/restore/fields.js';
import { ruleOf } from '../functions/core/domain/issueRule.js';
import { readIsoTime } from '../functions/core/domain/isoTime.js';
import { UsageError } from './commandLine.js';
import { checkReceiverUrl } from './commands/alerts.js';
import { HISTORY_FORMATS } from './commands/history.js';
import { holdMinutes, parseTarget } from './commands/holds.js';
import { isLoopbackHost } from './loopback.js';

/**
 * The CLI's option values, checked as the command line is read (commander argParsers), so that a
 * mistake is one usage line naming the flag (`--snapshot xyz: must be …`) before anything is read,
 * signed or sent. The rules are the ones the stack applies (the API's restore id, Atlas's ids and
 * times, the plan name): imported, never restated, so the CLI cannot drift from them.
 */

type Parser<T> = (text: string) => T;

/** The first broken rule in words (a schema's own message, or zod's default said as a rule). */
const firstRule = (issues: readonly z.core.$ZodIssue[]): string => (issues[0] ? ruleOf(issues[0]) : 'is not valid');

/** `--flag value: rule`, the shape of every value mistake. */
const mistake = (flag: string, text: string, rule: string) => new UsageError(`${flag} ${text === '' ? '""' : text}: ${rule}`);

/** A value the stack checks with a zod schema: the same schema here, its first rule in the line. */
function bySchema(flag: string, schema: z.ZodType<string>): Parser<string> {
  return (text) => {
    const parsed = schema.safeParse(text);
    if (!parsed.success) throw mistake(flag, text, firstRule(parsed.error.issues));
    return parsed.data;
  };
}

export const planName = (flag = '--plan') => bySchema(flag, PlanName);
/** A restore id is the Step Functions execution name; the API refuses any other in `/restores/{id}`. */
export const restoreId = (flag: string) => bySchema(flag, RestoreId);
/** The Idempotency-Key becomes the restore id, under the same rule. */
export const idempotencyKey = (flag = '--key') => bySchema(flag, IdempotencyKey);
export const objectId = (flag: string) => bySchema(flag, ObjectId);

/** `--pit`: a point in time as ISO 8601 or whole UTC seconds, within what Atlas accepts (the request schema's bounds). */
export const utcSeconds =
  (flag = '--pit'): Parser<number> =>
  (text) => {
    const ms = /^\d+$/.test(text) ? Number(text) * 1000 : readIsoTime(text);
    const seconds = ms === undefined ? undefined : Math.floor(ms / 1000);
    if (seconds === undefined) throw mistake(flag, text, 'must be a point in time: ISO 8601 such as 2026-12-01T03:00:00Z, or UTC seconds such as 1767225600');
    const parsed = EpochSeconds.safeParse(seconds);
    if (!parsed.success) throw mistake(flag, text, firstRule(parsed.error.issues));
    return parsed.data;
  };

/** `--port`: a TCP port, or 0 for any free one. */
export const port =
  (flag = '--port'): Parser<number> =>
  (text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n > 65535) throw mistake(flag, text, 'must be a port number from 0 to 65535');
    return n;
  };

/** `--host` of `serve`: loopback only, since the local API takes the caller's word for who it is. */
export const loopbackHost =
  (flag = '--host'): Parser<string> =>
  (text) => {
    if (!isLoopbackHost(text)) throw mistake(flag, text, 'the local API has no authentication, so it binds to loopback only (127.0.0.1, ::1 or localhost)');
    return text;
  };

/** `--every`: at least a second between looks. */
export const positiveSeconds =
  (flag = '--every'): Parser<number> =>
  (text) => {
    const n = Number(text);
    if (!(n >= 1) || !Number.isFinite(n)) throw mistake(flag, text, 'must be a number of seconds, at least 1');
    return n;
  };

/**
 * `--api`: the stack output ApiUrl. Empty is let through (an empty ATLAS_RESTORE_API_URL): the
 * command then says the option is missing, which is the truer message.
 */
export const apiUrl =
  (flag = '--api'): Parser<string> =>
  (text) => {
    if (text === '') return text;
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
      throw mistake(flag, text, "must be the stack output ApiUrl, an http(s) URL such as https://abc123.execute-api.eu-west-1.amazonaws.com/v1/ (from --api or ATLAS_RESTORE_API_URL)");
    return text;
  };

// AWS region names: a partition prefix (us, eu, ap, cn, us-gov, eusc …), words, a number.
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
export const awsRegion =
  (flag = '--region'): Parser<string> =>
  (text) => {
    if (!REGION.test(text)) throw mistake(flag, text, 'must be an AWS region such as eu-west-1');
    return text;
  };

export const historyFormat =
  (flag = '--format'): Parser<string> =>
  (text) => {
    if (!(HISTORY_FORMATS as readonly string[]).includes(text)) throw mistake(flag, text, `must be one of ${HISTORY_FORMATS.join(', ')}`);
    return text;
  };

export const since =
  (flag = '--since'): Parser<string> =>
  (text) => {
    if (!readSince(text, new Date())) throw mistake(flag, text, SINCE_RULE);
    return text;
  };

/** `<groupId>/<clusterName>` and hold durations: the hold commands' own checks, at parse time. */
export const target = (): Parser<string> => (text) => (parseTarget(text), text);
export const holdFor = (): Parser<string> => (text) => (holdMinutes(text), text);
export const receiverUrl = (): Parser<string> => (text) => checkReceiverUrl(text);

export const notBlank =
  (flag: string): Parser<string> =>
  (text) => {
    if (text.trim() === '') throw mistake(flag, text, 'must not be empty');
    return text;
  };
