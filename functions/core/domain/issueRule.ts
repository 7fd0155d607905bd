import type * as z from 'zod';
import { closestName } from './didYouMean.js';

/**
 * A zod issue as a rule people read: "must be at most 7", "is required", "must be one of "a", "b"".
 * Our schemas give their own words where a rule needs explaining ("must say why"); those are kept
 * as written. What zod says by default ("Too big: expected number to be <=7", "Invalid input:
 * expected string, received undefined") is said again here, so every 400, synth error and CLI
 * message that names a field also names the rule broken in words, whichever schema it came from.
 */

type Issue = z.core.$ZodIssue;

/** The shape of each issue's default message in zod's English locale, matched rather than imported: a reference to z.locales would bundle every locale. */
const ZOD_DEFAULT: Partial<Record<Issue['code'], RegExp>> = {
  invalid_type: /^Invalid input: expected \S+, received \S+$/,
  too_big: /^Too big: expected /,
  too_small: /^Too small: expected /,
  invalid_value: /^Invalid (input: expected |option: expected one of )/,
  invalid_format: /^Invalid /,
  not_multiple_of: /^Invalid number: must be a multiple of /,
  unrecognized_keys: /^Unrecognized keys?: /,
  invalid_union: /^Invalid (discriminator value\. Expected |input)/,
  invalid_key: /^Invalid key in /,
  invalid_element: /^Invalid value in /,
  custom: /^Invalid input$/,
};

/** The rule the issue says was broken, to follow its field path ("reason is required"). */
export function ruleOf(issue: Issue): string {
  return saidByZod(issue) ? ourWords(issue) : issue.message;
}

/** True when the message is zod's own default, not one a schema gave. */
function saidByZod(issue: Issue): boolean {
  return ZOD_DEFAULT[issue.code]?.test(issue.message) ?? false;
}

const SIZE_UNIT: Record<string, string> = { string: 'characters', array: 'items', set: 'items', map: 'entries', file: 'bytes' };
const quote = (v: unknown) => (typeof v === 'string' ? `"${v}"` : String(v));
const oneOf = (values: readonly unknown[]) => (values.length === 1 ? quote(values[0]) : `one of ${values.map(quote).join(', ')}`);
const TYPE_WORDS: Record<string, string> = { int: 'whole number', array: 'list' };
const article = (type: string) => {
  const noun = TYPE_WORDS[type] ?? type;
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
};

function ourWords(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return / received undefined$/.test(issue.message) ? 'is required' : `must be ${article(issue.expected)}`;
    case 'too_big':
    case 'too_small': {
      const big = issue.code === 'too_big';
      const limit = big ? issue.maximum : issue.minimum;
      const unit = SIZE_UNIT[issue.origin];
      if (!big && unit && Number(limit) === 1 && issue.inclusive !== false && !issue.exact) return 'must not be empty';
      const bound = issue.exact ? 'exactly' : issue.inclusive === false ? (big ? 'less than' : 'more than') : big ? 'at most' : 'at least';
      return unit ? `must have ${bound} ${String(limit)} ${unit}` : `must be ${bound} ${String(limit)}`;
    }
    case 'invalid_value':
      return `must be ${oneOf(issue.values)}`;
    case 'invalid_union': {
      // A discriminated union whose discriminator matched no option: the issue's path ends at it.
      const options = (issue as { options?: unknown[] }).options;
      if (Array.isArray(options) && options.length) return `must be ${oneOf(options)}`;
      return 'does not match any of the accepted forms';
    }
    case 'invalid_format': {
      if (issue.format === 'starts_with') return `must start with "${(issue as { prefix?: string }).prefix}"`;
      if (issue.format === 'ends_with') return `must end with "${(issue as { suffix?: string }).suffix}"`;
      if (issue.format === 'includes') return `must include "${(issue as { includes?: string }).includes}"`;
      if (issue.format === 'regex') return 'is not in the expected format';
      return `must be a valid ${issue.format}`;
    }
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return unknownFields(issue.keys, []);
    case 'invalid_key':
      return 'has a key that is not allowed';
    case 'invalid_element':
      return 'has a value that is not allowed';
    default:
      return 'is not valid';
  }
}

/** "has an unknown field "deadlineMinuets" (did you mean deadlineMinutes?)", a guess only where one is close. */
function unknownFields(keys: readonly string[], known: readonly string[]): string {
  const named = keys.map((key) => {
    const guess = closestName(key, known);
    return guess ? `${quote(key)} (did you mean ${guess}?)` : quote(key);
  });
  return named.length === 1 ? `has an unknown field ${named[0]}` : `has unknown fields ${named.join(', ')}`;
}

/**
 * An error map for parses where an unknown field is most likely a misspelt one (the plans file, a
 * request body): `schema.safeParse(input, { error: suggestingFields })`. The finished issue no
 * longer carries the object schema, so which fields it knows can only be read here, while zod
 * builds the issue. A field the input already has is never the guess: it was not misspelt.
 */
export function suggestingFields(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== 'unrecognized_keys') return undefined;
  const shape = (issue.inst as z.core.$ZodObject | undefined)?._zod.def.shape ?? {};
  const given = new Set(issue.input !== null && typeof issue.input === 'object' ? Object.keys(issue.input) : []);
  return unknownFields(issue.keys, Object.keys(shape).filter((field) => !given.has(field)));
}
