import { readFileSync } from 'node:fs';
import type * as z from 'zod';

/**
 * The JSON files the local tools keep or are given (the restore history, the holds, a simulator
 * world). Whatever is wrong with one, the message names the file and what to do about it: the
 * person reading it has only the path to go on, and a bare JSON.parse error names neither.
 */

/** A local file that cannot be used as it is: one line, exit 1, nothing written. */
class LocalFileError extends Error {
  override name = 'LocalFileError';
}

/**
 * Reads and checks `file` as `what` (e.g. "restore history file"); undefined when it does not exist.
 * `remedy` says what to do with a broken one (e.g. "move it aside to start a new one").
 */
export function readJsonFile<T>(file: string, what: string, schema: z.ZodType<T>, remedy: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new LocalFileError(`cannot read the ${what} ${file} (${code ?? (error as Error).message}): give the path of a file this user can read`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new LocalFileError(`${file} is not a ${what}: not valid JSON (${(error as Error).message}); ${remedy}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LocalFileError(`${file} is not a ${what}: ${issue?.path.join('.') || '(top level)'}: ${issue?.message ?? 'is not valid'}; ${remedy}`);
  }
  return parsed.data;
}
