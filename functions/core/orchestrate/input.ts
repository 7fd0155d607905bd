import type { z } from 'zod';
import { RestoreRequestInvalidError } from '../domain/errors.js';
import { toFieldProblems } from '../restore/request.js';

/** Parses a step's input with its contract schema; a bad one fails with every field path and rule. */
export function parseStepInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new RestoreRequestInvalidError(toFieldProblems(parsed.error), what);
  return parsed.data;
}
