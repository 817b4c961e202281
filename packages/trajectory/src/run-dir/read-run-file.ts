import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ValidationError } from '../errors.js';

/**
 * A JSON file of a run directory (a manifest, a training report), parsed with `schema`; null
 * when the file does not exist. A file that is not JSON or does not match throws
 * `ValidationError` naming the file and the field.
 */
export function readRunJson<S extends z.ZodType>(
  path: string,
  schema: S,
  what: string,
): z.output<S> | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ValidationError({
      location: { file: path },
      what,
      issues: [{ path: '', message: `not JSON: ${(cause as Error).message}` }],
    });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ValidationError({
      location: { file: path },
      what,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      })),
    });
  return parsed.data;
}
