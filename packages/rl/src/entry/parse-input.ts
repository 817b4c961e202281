import { entryInputParser } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import { RlConfigError } from '../errors.js';

/** Parses a public function's argument; bad input is `RlConfigError` code `invalid_input`. */
export const parseRlInput = entryInputParser(
  (problem) =>
    new RlConfigError({
      code: 'invalid_input',
      option: problem.field,
      message: problem.issues[0]?.message ?? 'invalid input',
      fullMessage: problem.message,
      cause: problem.error,
    }),
);

// Typed as the caller's function type: only `typeof` can be checked at run time.
export const fn = <T = (...args: never[]) => unknown>(what: string) =>
  z.custom<T>((v) => typeof v === 'function', {
    message: `expected ${what} (a function)`,
  });

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
  );
}
