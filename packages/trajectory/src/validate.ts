import type { z } from 'zod';
import { type InputLocation, ValidationError, type ValidationIssue } from './errors.js';

/** `steps[3].callId` from zod's path array. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

export function toValidationIssues(error: z.core.$ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/**
 * Parse with a schema and throw a `ValidationError` that names the place (file, line, field).
 */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  options: { location?: InputLocation; what?: string } = {},
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError({
    location: options.location ?? {},
    issues: toValidationIssues(result.error),
    ...(options.what === undefined ? {} : { what: options.what }),
  });
}
