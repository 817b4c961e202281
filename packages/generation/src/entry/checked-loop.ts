import {
  metadataSchema,
  promptTemplateSchema,
  samplingSchema,
  stepSchema,
  type Trajectory,
  taskSchema,
} from '@autotraj/trajectory';
import { entryInputParser, objectWithMethods } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import { GenerationConfigError } from '../errors.js';
import { generateTrajectory as generateUnchecked } from '../loop/generate-trajectory.js';
import type { GenerateTrajectoryOptions } from '../loop/types.js';
import {
  type SampleCandidatesOptions,
  sampleCandidates as sampleUnchecked,
} from '../sampling/sample-candidates.js';
import { promptValuesSchema, retryOptionsSchema, toolBudgetSchema } from './checked-models.js';

// The generation loop's entry points parse their options before any model call: keys strictly
// (a misspelt option is an error naming it), the task with the contract's `taskSchema`
// (defaults filled; unknown task keys ignored, as the JSONL readers do), steps and sampling
// with theirs. Objects the loop calls (model, tools, limiter, signal) are kept by reference.

const parse = entryInputParser(
  (problem) =>
    new GenerationConfigError({
      code: 'invalid_input',
      message: problem.message,
      cause: problem.error,
    }),
);

const aFunction = z.custom<unknown>((v) => typeof v === 'function', {
  message: 'expected a function',
});

const loopShape = {
  model: objectWithMethods('a language model', 'doGenerate'),
  task: z.unknown(),
  tools: z.array(objectWithMethods('a tool runtime', 'run')),
  protocol: z.enum(['text-tags', 'markdown', 'native']).optional(),
  maxToolCalls: toolBudgetSchema.optional(),
  promptTemplate: promptTemplateSchema.optional(),
  promptValues: promptValuesSchema.optional(),
  instructions: z.string().optional(),
  prompt: z.string().optional(),
  prefix: z.array(stepSchema).optional(),
  sampling: samplingSchema.strict().optional(),
  retry: retryOptionsSchema.optional(),
  wrapRetries: z.boolean().optional(),
  toolTags: z.record(z.string(), z.string()).optional(),
  modelName: z.string().optional(),
  origin: z.enum(['sampled', 'repaired', 'rollout']).optional(),
  sessionId: z.string().optional(),
  parentId: z.string().optional(),
  metadata: metadataSchema.optional(),
  signal: z.instanceof(AbortSignal).optional(),
  providerOptions: z.record(z.string(), z.unknown()).optional(),
};

const generateOptionsSchema = z.strictObject({
  ...loopShape,
  salt: z.union([z.string(), z.number()]).optional(),
});
const sampleOptionsSchema = z.strictObject({
  ...loopShape,
  n: z.number().int().nonnegative(),
  limiter: objectWithMethods('a limiter (createLimiter)', 'run').optional(),
  onCandidate: aFunction.optional(),
});

function checked<T extends { task: unknown }>(schema: z.ZodType, options: T, entry: string): T {
  const parsed = parse(schema, options, entry, 'options') as Record<string, unknown>;
  // The parsed values (defaults filled), the caller's objects as they were.
  const out: Record<string, unknown> = { ...options };
  for (const key of ['task', 'prefix', 'sampling', 'promptTemplate', 'metadata'])
    if (parsed[key] !== undefined) out[key] = parsed[key];
  out.task = parse(taskSchema, options.task, entry, 'options.task');
  return out as T;
}

/** One trajectory through the TIR loop (see loop/generate-trajectory.ts), options checked first. */
export async function generateTrajectory(options: GenerateTrajectoryOptions): Promise<Trajectory> {
  return generateUnchecked(checked(generateOptionsSchema, options, 'generateTrajectory'));
}

/** n candidates for a task (see sampling/sample-candidates.ts), options checked first. */
export async function sampleCandidates(options: SampleCandidatesOptions): Promise<Trajectory[]> {
  return sampleUnchecked(checked(sampleOptionsSchema, options, 'sampleCandidates'));
}
