import { retryOptionsSchema } from '@autotraj/generation/internal';
import {
  evaluationReportSchema,
  promptTemplateSchema,
  samplingSchema,
  type Trajectory,
  taskSchema,
  trajectorySchema,
} from '@autotraj/trajectory';
import { entryInputParser, objectWithMethods } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import { RepairerConfigError } from '../errors.js';
import {
  createRepairer as createUncheckedRepairer,
  type Repairer,
  type RepairerOptions,
  type RepairInput,
} from '../repair/repairer.js';

// `createRepairer` and its `repair` parse their input before any model call: the options
// strictly (a misspelt key is an error naming it), the task and trajectories with the contract
// schemas (defaults filled; unknown record keys ignored, as the JSONL readers do).

/** Parses a public function's argument; bad input is `RepairerConfigError` `invalid_input`. */
export const parseRepairerInput = entryInputParser(
  (problem) =>
    new RepairerConfigError({
      code: 'invalid_input',
      message: problem.message,
      cause: problem.error,
    }),
);
const parse = parseRepairerInput;

/** Acceptance thresholds, any of the three (the paper's fill the rest). */
export const acceptanceThresholdsSchema = z.strictObject({
  wrongAnswer: z.number().optional(),
  lowQuality: z.number().optional(),
  beatOriginal: z.boolean().optional(),
});
/** `acceptance`: a preset's name, a rule (a function) or thresholds. */
export const acceptanceOptionSchema = z.union([
  z.enum(['paper', 'evaluator']),
  z.custom<unknown>((v) => typeof v === 'function', { message: 'expected a rule' }),
  acceptanceThresholdsSchema,
]);

/** The retry policy's options (`RetryOptions` of @autotraj/generation), its own schema. */
export { retryOptionsSchema };

const repairerOptionsSchema = z.strictObject({
  model: objectWithMethods('a language model', 'doGenerate'),
  tools: z.array(objectWithMethods('a tool runtime', 'run')),
  evaluator: objectWithMethods('an evaluator (createEvaluator)', 'evaluate', 'evaluateGroup'),
  strategy: z.enum(['regenerate', 'resume']).optional(),
  maxAttempts: z.number().int().positive().optional(),
  acceptance: acceptanceOptionSchema.optional(),
  protocol: z.enum(['text-tags', 'markdown', 'native']).optional(),
  // `Infinity` switches the budget off (zod's number refuses it).
  maxToolCalls: z
    .custom<number>((v) => typeof v === 'number' && v >= 0, {
      message: 'expected a number >= 0',
    })
    .optional(),
  sampling: samplingSchema.strict().optional(),
  retry: retryOptionsSchema.optional(),
  modelName: z.string().optional(),
  prompt: promptTemplateSchema.optional(),
});

const repairArgs = z.strictObject({
  task: z.unknown(),
  trajectory: z.unknown(),
  report: evaluationReportSchema.optional(),
  group: z.array(z.unknown()).optional(),
  signal: z.instanceof(AbortSignal).optional(),
});

/**
 * An LLM-as-Repairer (see `createRepairer` in repair/repairer.ts), with its options and each
 * `repair` input checked: bad input is `RepairerConfigError` code `invalid_input`.
 */
export function createRepairer(options: RepairerOptions): Repairer {
  const entry = 'createRepairer';
  const parsed = parse(repairerOptionsSchema, options, entry, 'options');
  // The model, tools, evaluator and rule are kept by reference; the rest as parsed.
  const inner = createUncheckedRepairer({ ...options, ...parsed } as RepairerOptions);
  return {
    options: inner.options,
    async repair(input) {
      const at = 'repairer.repair';
      const args = parse(repairArgs, input, at, '');
      const group: Trajectory[] | undefined = args.group?.map((value, i) =>
        parse(trajectorySchema, value, at, `group[${i}]`),
      );
      return inner.repair({
        task: parse(taskSchema, args.task, at, 'task'),
        trajectory: parse(trajectorySchema, args.trajectory, at, 'trajectory'),
        ...(args.report === undefined ? {} : { report: args.report }),
        ...(group === undefined ? {} : { group }),
        ...(args.signal === undefined ? {} : { signal: args.signal }),
      } as RepairInput);
    },
  };
}
