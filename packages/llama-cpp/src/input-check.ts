import { ValidationError } from '@autotraj/trajectory';
import { LlamaCppError } from './errors.js';

// Hand-written argument checks for the main entry (this package does not depend on zod): a
// misspelt key, a missing required field or a wrong type is `LlamaCppError` code
// `invalid_input` naming the function and the field, with the `ValidationError` as its cause.

export type Kind = 'string' | 'number' | 'boolean';

/** The error for one bad field of `entry`'s arguments. */
export function inputProblem(entry: string, field: string, message: string): LlamaCppError {
  return new LlamaCppError({
    code: 'invalid_input',
    message: `${entry}: ${field}: ${message}`,
    cause: new ValidationError({ location: {}, issues: [{ path: field, message }], what: entry }),
  });
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function checkKind(entry: string, field: string, value: unknown, kind: Kind): void {
  if (typeof value !== kind || (kind === 'number' && Number.isNaN(value)))
    throw inputProblem(entry, field, `expected a ${kind}, got ${typeof value}`);
}

/** `value` is a string (not empty unless `empty`). */
export function checkString(entry: string, field: string, value: unknown, empty = false): void {
  checkKind(entry, field, value, 'string');
  if (!empty && value === '') throw inputProblem(entry, field, 'must not be empty');
}

/**
 * An options object: every key one of `kinds` (a misspelt key is named first), the `required`
 * ones present and not empty, each present value of its kind; `nested` checks the others
 * (their kind `'nested'`).
 */
export function checkOptions(
  entry: string,
  at: string,
  value: unknown,
  kinds: Readonly<Record<string, Kind | 'nested'>>,
  required: ReadonlyArray<string> = [],
  nested: (key: string, value: unknown, field: string) => void = () => {},
): void {
  if (!isObject(value)) throw inputProblem(entry, at, 'expected an options object');
  for (const key of Object.keys(value))
    if (!Object.hasOwn(kinds, key))
      throw inputProblem(entry, `${at}.${key}`, `unknown option "${key}"`);
  for (const key of required)
    if (value[key] === undefined) throw inputProblem(entry, `${at}.${key}`, 'required');
  for (const [key, kind] of Object.entries(kinds)) {
    const v = value[key];
    if (v === undefined) continue;
    if (kind === 'nested') nested(key, v, `${at}.${key}`);
    else checkKind(entry, `${at}.${key}`, v, kind);
  }
  for (const key of required)
    if (value[key] === '') throw inputProblem(entry, `${at}.${key}`, 'must not be empty');
}
