import { z } from 'zod';
import { ValidationError, type ValidationIssue } from './errors.js';
import { isStepList, isTask, isTrajectory } from './schemas/guards.js';
import { stepListSchema } from './schemas/step.js';
import { taskSchema } from './schemas/task.js';
import { trajectorySchema } from './schemas/trajectory.js';
import { formatPath } from './validate.js';

/**
 * What was wrong with one argument of a public function: the function (`entry`, e.g.
 * `evaluator.evaluate`), the full field path (`task.goldAnswers`, `trajectory.steps[2].code`)
 * and the schema's issues with that path. Each package turns it into its own typed error.
 */
export interface EntryInputProblem {
  entry: string;
  field: string;
  /** `evaluator.evaluate: task.goldAnswers: expected array, received string (+1 more)`. */
  message: string;
  issues: ValidationIssue[];
  /** The same problem as the project-wide validation error (a `cause` to attach). */
  error: ValidationError;
}

/** Parses one argument with its schema, throwing the package's error for a bad one. */
export type EntryInputParser = <S extends z.ZodType>(
  schema: S,
  value: unknown,
  entry: string,
  field: string,
) => z.output<S>;

// Values already in a schema's output form skip the zod parse (and keep their identity, which
// caches keyed by object rely on). Only schemas with a hand-written guard proven against them.
const fastPaths = new Map<z.ZodType, (value: unknown) => boolean>([
  [taskSchema, isTask],
  [trajectorySchema, isTrajectory],
  [stepListSchema, isStepList],
]);

function join(field: string, path: string): string {
  if (path === '') return field;
  if (field === '') return path;
  return path.startsWith('[') ? `${field}${path}` : `${field}.${path}`;
}

function issuesOf(error: z.core.$ZodError, field: string): ValidationIssue[] {
  // A misspelt key first: the missing right spelling is then one of the "more" (a message
  // naming `options.baseUrl` points at the typo; one naming `options.baseURL` does not).
  const misspelt = (issue: z.core.$ZodIssue) => Number(issue.code === 'unrecognized_keys');
  const ordered = [...error.issues].sort((a, b) => misspelt(b) - misspelt(a));
  return ordered.map((issue) => {
    let path = formatPath(issue.path);
    // An unknown key is named as a field of its own, so the message points at the typo.
    if (issue.code === 'unrecognized_keys' && issue.keys.length > 0)
      path = join(path, issue.keys.map(String).join(', '));
    return { path: join(field, path), message: issue.message };
  });
}

/**
 * Parse `value` with `schema` (defaults applied); on failure describe the problem with the
 * entry point and the field path, for the caller's own error class.
 */
export function checkEntryInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  entry: string,
  field: string,
): { ok: true; value: z.output<S> } | { ok: false; problem: EntryInputProblem } {
  if (fastPaths.get(schema)?.(value) === true) return { ok: true, value: value as z.output<S> };
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  // A misspelt key first: its missing correct spelling is then one of the "more" (a message
  // naming `options.baseUrl` points at the typo; one naming `options.baseURL` does not).
  const issues = issuesOf(result.error, field);
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : '';
  return {
    ok: false,
    problem: {
      entry,
      field: first.path,
      message: `${entry}: ${first.path === '' ? 'input' : first.path}: ${first.message}${more}`,
      issues,
      error: new ValidationError({ location: {}, issues, what: entry }),
    },
  };
}

/** A parser that throws `toError(problem)` for bad input: each package passes its error class. */
export function entryInputParser(toError: (problem: EntryInputProblem) => Error): EntryInputParser {
  return (schema, value, entry, field) => {
    // The fast path without allocating a result (this runs once per record on hot paths).
    if (fastPaths.get(schema)?.(value) === true) return value as z.output<typeof schema>;
    const checked = checkEntryInput(schema, value, entry, field);
    if (checked.ok) return checked.value;
    throw toError(checked.problem);
  };
}

/**
 * Each element of `values` as is when `isReady` says it is already in its schema's form (the
 * hot path's usual case: the caller's array itself is returned, nothing allocated), else
 * `parse(value, index)`'s result, in a copy made from the first element that needed parsing.
 * A for loop, not map: a hole is an element to refuse, not one to skip.
 */
export function parseEach<T>(
  values: ReadonlyArray<unknown>,
  isReady: (value: unknown) => boolean,
  parse: (value: unknown, index: number) => T,
): T[] {
  let out: T[] | null = null;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (isReady(value)) {
      out?.push(value as T);
      continue;
    }
    out ??= values.slice(0, i) as T[];
    out.push(parse(value, i));
  }
  return out ?? (values as T[]);
}

/**
 * `call()`'s promise, a synchronous throw (bad input) turned into its rejection. Not an async
 * wrapper: that would add a promise and two microtask turns to every call of a hot path.
 */
export function rejecting<T>(call: () => Promise<T>): Promise<T> {
  try {
    return call();
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * An object with these methods (a model, a tool runtime, a scorer, a judge): checked by kind,
 * kept by reference (zod's `custom` returns the value itself).
 */
export function objectWithMethods<T = unknown>(what: string, ...methods: string[]) {
  return z.custom<T>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      methods.every((m) => typeof (v as Record<string, unknown>)[m] === 'function'),
    { message: `expected ${what} (an object with ${methods.join(', ')})` },
  );
}
