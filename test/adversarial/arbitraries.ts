import fc from 'fast-check';

/**
 * fast-check generators of what a careless or hostile caller sends: names that look right and are
 * not, keys the prototype chain knows, numbers just out of range, words one slip away from a flag.
 * Shared by the property tests of the API, the plans file and the restore request schemas.
 */

/** Every run of every property starts from this seed: a failure replays exactly. */
export const SEED = 20261201;

/** Letters from other scripts that render like ASCII, invisible characters, separators and specials. */
const LOOKALIKES = [
  '\u0430', // Cyrillic a
  '\u0435', // Cyrillic e
  '\u043E', // Cyrillic o
  '\u0440', // Cyrillic r (looks like p)
  '\u212A', // Kelvin sign (lowercases to k)
  '\u0131', // dotless i
  '\u03BF', // Greek omicron
  '\uFF50', // fullwidth p
  '\u00E9', // e acute
  '\u200B', // zero-width space
  '\u200D', // zero-width joiner
  '\uFEFF', // byte order mark
  '\u00AD', // soft hyphen
  '\u202E', // right-to-left override
  '\u00A0', // no-break space
  ' ',
  '\t',
  '\n',
  '_',
  '.',
  '*',
  '/',
  '%',
] as const;

const BASE_NAMES = ['prod-cluster', 'staging-cluster', 'flex-target', 'scratch-1', 'recovery-cluster'] as const;

/** A real-looking cluster name with one lookalike, invisible or forbidden character put in or swapped in. */
const lookalikeName = fc
  .tuple(fc.constantFrom(...BASE_NAMES), fc.constantFrom(...LOOKALIKES), fc.nat(), fc.boolean())
  .map(([name, odd, at, replace]) => {
    const i = at % (name.length + 1);
    return name.slice(0, i) + odd + name.slice(replace ? i + 1 : i);
  });

/** Strings that are not cluster names for any reason: lookalikes, empty, too long, leading hyphen, any unicode. */
export const badClusterName = fc.oneof(
  lookalikeName,
  fc.constant(''),
  fc.constant('-prod'),
  fc.string({ minLength: 65, maxLength: 80, unit: fc.constantFrom('a', 'b', '1', '-') }).filter((s) => !s.startsWith('-')),
  fc.string({ minLength: 1, maxLength: 20, unit: 'binary' }).filter((s) => !/^[a-zA-Z0-9][a-zA-Z0-9-]{0,63}$/.test(s)),
);

/** Not a 24-character lowercase hex id. */
export const badObjectId = fc.oneof(
  fc.constant('65F1A0000000000000000001'),
  fc.constant('65f1a000000000000000001'),
  fc.constant('65f1a00000000000000000011'),
  fc.constant('65f1a000000000000000000g'),
  fc.constant(' 65f1a0000000000000000001'),
  fc.string({ maxLength: 30 }).filter((s) => !/^[a-f0-9]{24}$/.test(s)),
);

/** Keys the prototype chain knows, and words one slip away from a real field or flag. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'] as const;
const MISSPELT_FLAGS = ['dryrun', 'dry_run', 'DryRun', 'DRYRUN', 'dry-run', 'dryRn', 'dryRun ', ' dryRun', 'dryRun\u200B', 'dryRu\u043F'] as const;

/** An unknown key: a prototype key, a misspelt flag, or any string not in `known`. */
export const unknownKey = (known: readonly string[]) =>
  fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.constantFrom(...MISSPELT_FLAGS), fc.string({ maxLength: 24 })).filter((k) => !known.includes(k));

/** Epoch seconds Atlas refuses: before 2008, past int32, fractional, not a number at all. */
export const badEpochSeconds = fc.oneof(
  fc.integer({ min: -2_000_000_000, max: 1_199_145_599 }),
  fc.integer({ min: 2_147_483_648, max: Number.MAX_SAFE_INTEGER }),
  fc.double({ min: 1_199_145_600, max: 2_000_000_000, noInteger: true, noNaN: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, '1700000000', null, true),
);

/** JSON text nested `depth` levels deep in arrays or objects around `leaf`. */
export const deeplyNested = fc
  .tuple(fc.integer({ min: 50, max: 3000 }), fc.boolean())
  .map(([depth, arrays]) => (arrays ? '['.repeat(depth) + '1' + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)));

/** A JSON object text with a prototype key written literally (JSON.stringify cannot produce `__proto__`). */
export const withPrototypeKey = (json: string, key: (typeof PROTOTYPE_KEYS)[number], value: string) =>
  `{"${key}":${value},${json.slice(1)}`;
