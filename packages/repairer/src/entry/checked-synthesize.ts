import {
  admissionModes,
  jsonValueSchema,
  promptTemplateSchema,
  samplingSchema,
  type Task,
  taskSchema,
} from '@autotraj/trajectory';
import { entryInputParser, objectWithMethods } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import { RepairerConfigError } from '../errors.js';
import {
  type SynthesisSummary,
  type SynthesizeOptions,
  synthesize as synthesizeUnchecked,
} from '../synthesis/synthesize.js';
import { retryOptionsSchema } from './checked-repairer.js';

// `synthesize` checks its options before it opens the output directory: keys strictly (a
// misspelt `concurency` would otherwise run with the default), types by schema; the tasks as
// they stream in, each with `taskSchema` (defaults filled; unknown task keys ignored, as the
// JSONL readers do), the first bad one named by its position. Objects the run calls (models,
// tools, repairer, evaluator, limiter, signal) are kept by reference.

const parse = entryInputParser(
  (problem) =>
    new RepairerConfigError({
      code: 'invalid_input',
      message: problem.message,
      cause: problem.error,
    }),
);

const aFunction = z.custom<unknown>((v) => typeof v === 'function', {
  message: 'expected a function',
});
const isIterable = (v: unknown) =>
  typeof v === 'object' &&
  v !== null &&
  (typeof (v as Record<symbol, unknown>)[Symbol.iterator] === 'function' ||
    typeof (v as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function');

const policySchema = z.strictObject({
  model: objectWithMethods('a language model', 'doGenerate'),
  tools: z.array(objectWithMethods('a tool runtime', 'run')),
  protocol: z.enum(['text-tags', 'markdown', 'native']).optional(),
  // `Infinity` switches the budget off (zod's number refuses it).
  maxToolCalls: z
    .custom<number>((v) => typeof v === 'number' && v >= 0, { message: 'expected a number >= 0' })
    .optional(),
  sampling: samplingSchema.strict().optional(),
  prompt: promptTemplateSchema.optional(),
  instructions: z.string().optional(),
  retry: retryOptionsSchema.optional(),
  modelName: z.string().optional(),
});

const synthesizeOptionsSchema = z.strictObject({
  tasks: z.custom<unknown>(isIterable, { message: 'expected an iterable of tasks' }),
  policy: policySchema,
  repairer: objectWithMethods('a repairer (createRepairer)', 'repair'),
  evaluator: objectWithMethods('an evaluator (createEvaluator)', 'evaluate', 'evaluateGroup'),
  n: z.number().optional(),
  outDir: z.string().min(1),
  concurrency: z.number().optional(),
  limiter: objectWithMethods('a limiter (createLimiter)', 'run').optional(),
  total: z.number().optional(),
  onProgress: aFunction.optional(),
  signal: z.instanceof(AbortSignal).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  settings: z.record(z.string(), jsonValueSchema).optional(),
  forceNew: z.boolean().optional(),
  shard: z
    .strictObject({
      index: z.number(),
      count: z.number(),
      source: z.enum(['flag', 'kubernetes', 'slurm']),
    })
    .optional(),
  admission: z.enum(admissionModes).optional(),
  repairRefused: z.boolean().optional(),
  candidates: z.strictObject({ from: z.string().min(1) }).optional(),
});

async function* checkedTasks(
  tasks: Iterable<unknown> | AsyncIterable<unknown>,
): AsyncGenerator<Task> {
  let index = 0;
  for await (const task of tasks)
    yield parse(taskSchema, task, 'synthesize', `options.tasks[${index++}]`);
}

/**
 * Resumable SFT synthesis (see synthesis/synthesize.ts), its options checked before any work
 * and each task as it is read: bad input is `RepairerConfigError` code `invalid_input`.
 */
export async function synthesize(options: SynthesizeOptions): Promise<SynthesisSummary> {
  const parsed = parse(synthesizeOptionsSchema, options, 'synthesize', 'options');
  return synthesizeUnchecked({
    ...options,
    policy: { ...options.policy, ...(parsed.policy as Partial<SynthesizeOptions['policy']>) },
    tasks: checkedTasks(options.tasks),
  });
}
