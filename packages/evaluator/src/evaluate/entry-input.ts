import { type Task, type Trajectory, taskSchema, trajectorySchema } from '@autotraj/trajectory';
import {
  entryInputParser,
  isTrajectory,
  objectWithMethods,
  parseEach,
} from '@autotraj/trajectory/internal';
import { z } from 'zod';
import { EvaluatorError } from '../errors.js';

// The evaluator's public entry points parse what they are given once, here, before any
// scoring: records with the contract schemas (defaults filled), option objects strictly (a
// misspelt key is an error naming it). Values the rules check themselves (preset and dimension
// names, weight and threshold ranges) keep their own `invalid_option` / `unknown_preset` errors.

export const parseEvaluatorInput = entryInputParser(
  (problem) =>
    new EvaluatorError({ code: 'invalid_input', message: problem.message, cause: problem.error }),
);

/** A number, `Infinity` included (`maxToolCalls: Infinity` switches the budget off). */
const anyNumber = z.custom<number>((v) => typeof v === 'number' && !Number.isNaN(v), {
  message: 'expected a number',
});
export const equivalenceShape = {
  precision: z.number().int().nonnegative().optional(),
  strict: z.boolean().optional(),
  allowSetRelationComp: z.boolean().optional(),
  timeoutMs: z.number().positive().optional(),
  isolation: z.enum(['worker', 'inline']).optional(),
};

export const correctnessOptionsSchema = z.strictObject({
  ...equivalenceShape,
  match: z.array(z.enum(['latex', 'expr'])).optional(),
  sources: z.array(z.string()).optional(),
  answerKind: z.enum(['auto', 'math', 'qa']).optional(),
  backend: objectWithMethods('an answer backend', 'verify').optional(),
});

export const formatOptionsSchema = z.strictObject({
  maxToolCalls: anyNumber.optional(),
  callTags: z.array(z.string()).optional(),
});
export const toolValidityOptionsSchema = z.strictObject({
  maxToolCalls: anyNumber.optional(),
  requireCall: z.boolean().optional(),
});

export const consistencyOptionsSchema = z.strictObject({
  reexecuteCalculator: z.boolean().optional(),
  answerSupport: z.boolean().optional(),
  calculatorCache: z.instanceof(Map).optional(),
});

export const evaluatorOptionsSchema = z.strictObject({
  preset: z.string().optional(),
  weights: z.record(z.string(), z.unknown()).optional(),
  thresholds: z
    .strictObject({
      keepAll: z.number(),
      keepBest: z.number(),
      acceptLowQuality: z.number(),
      acceptWrongAnswer: z.number(),
    })
    .partial()
    .optional(),
  dimensions: z.array(z.string()).optional(),
  judge: objectWithMethods('a judge (createLlmJudge)', 'judge').optional(),
  judgeWeight: z.number().optional(),
  correctness: correctnessOptionsSchema.optional(),
  format: formatOptionsSchema.optional(),
  toolValidity: toolValidityOptionsSchema.optional(),
  consistency: consistencyOptionsSchema.optional(),
  python: z
    .strictObject({
      executor: objectWithMethods('a Python executor (createPythonPool)', 'run'),
      timeoutMs: z.number().positive().optional(),
    })
    .optional(),
});

// Argument objects: keys checked strictly; records parsed one by one below, so each takes the
// hand-written fast path when it is already in the schema's form.
export const evaluateArgs = z.strictObject({
  task: z.unknown(),
  trajectory: z.unknown(),
  group: z.array(z.unknown()).optional(),
  text: z.string().optional(),
});
export const evaluateGroupArgs = z.strictObject({
  task: z.unknown(),
  candidates: z.array(z.unknown()),
  texts: z.array(z.string()).optional(),
});

/** A report as repair acceptance reads it (evaluator reports carry more, which is kept). */
const acceptReportSchema = z.looseObject({
  correct: z.boolean().nullable(),
  quality: z.number(),
  words: z.number().int().nonnegative().optional(),
  paper: z
    .looseObject({ stored: z.number().nullable(), looseCorrect: z.boolean().nullable() })
    .optional(),
  dimensions: z.unknown().optional(),
});
export const acceptRepairArgs = z.strictObject({
  original: acceptReportSchema,
  repaired: acceptReportSchema,
  reason: z.enum(['wrong-answer', 'low-quality']).optional(),
  thresholds: evaluatorOptionsSchema.shape.thresholds,
});
/**
 * The evaluator method's input: the shared contract (`AcceptRepairRequest`) lets callers pass
 * more keys (trajectories for rules that need them), so they are kept, not refused.
 */
export const acceptRepairRequestArgs = z.looseObject({
  original: acceptReportSchema,
  repaired: acceptReportSchema,
  reason: z.enum(['wrong-answer', 'low-quality']).optional(),
});

// The argument objects' own check by hand on the hot path (the same rules as the schemas
// above; zod runs only to name what is wrong).
function hasOnlyKeys(
  value: unknown,
  keys: ReadonlyArray<string>,
): value is Record<string, unknown> {
  if (
    typeof value !== 'object' ||
    value === null ||
    Object.getPrototypeOf(value) !== Object.prototype
  )
    return false;
  for (const key in value) if (!keys.includes(key)) return false;
  return true;
}
/** A for loop, not `every`, which skips holes (zod reads them as undefined and refuses). */
function isStringArray(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return false;
  return true;
}
const EVALUATE_KEYS = Object.keys(evaluateArgs.shape);
const EVALUATE_GROUP_KEYS = Object.keys(evaluateGroupArgs.shape);

/** `evaluateArgs` by hand (entry-input.test.ts checks they agree). */
export function isEvaluateArgs(input: unknown): boolean {
  return (
    hasOnlyKeys(input, EVALUATE_KEYS) &&
    // zod refuses a missing key even for z.unknown() (a present undefined passes).
    'task' in input &&
    'trajectory' in input &&
    (input.group === undefined || Array.isArray(input.group)) &&
    (input.text === undefined || typeof input.text === 'string')
  );
}

/** `evaluateGroupArgs` by hand (entry-input.test.ts checks they agree). */
export function isEvaluateGroupArgs(input: unknown): boolean {
  return (
    hasOnlyKeys(input, EVALUATE_GROUP_KEYS) &&
    'task' in input &&
    Array.isArray(input.candidates) &&
    (input.texts === undefined || isStringArray(input.texts))
  );
}

function trajectories(values: ReadonlyArray<unknown>, entry: string, field: string): Trajectory[] {
  // A sealed trajectory answers at once; the caller's array is kept while every one is ready.
  return parseEach(values, isTrajectory, (value, i) =>
    parseEvaluatorInput(trajectorySchema, value, entry, `${field}[${i}]`),
  );
}

export function parseEvaluateInput(
  input: unknown,
  entry: string,
): { task: Task; trajectory: Trajectory; group?: Trajectory[]; text?: string } {
  const args = isEvaluateArgs(input)
    ? (input as z.output<typeof evaluateArgs>)
    : parseEvaluatorInput(evaluateArgs, input, entry, '');
  return {
    task: parseEvaluatorInput(taskSchema, args.task, entry, 'task'),
    trajectory: parseEvaluatorInput(trajectorySchema, args.trajectory, entry, 'trajectory'),
    ...(args.group === undefined ? {} : { group: trajectories(args.group, entry, 'group') }),
    ...(args.text === undefined ? {} : { text: args.text }),
  };
}

export function parseEvaluateGroupInput(
  input: unknown,
  entry: string,
): { task: Task; candidates: Trajectory[]; texts?: string[] } {
  const args = isEvaluateGroupArgs(input)
    ? (input as z.output<typeof evaluateGroupArgs>)
    : parseEvaluatorInput(evaluateGroupArgs, input, entry, '');
  return {
    task: parseEvaluatorInput(taskSchema, args.task, entry, 'task'),
    candidates: trajectories(args.candidates, entry, 'candidates'),
    ...(args.texts === undefined ? {} : { texts: args.texts }),
  };
}
