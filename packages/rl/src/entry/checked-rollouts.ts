import type { JsonlLineError, RolloutRecord } from '@autotraj/trajectory';
import { jsonValueSchema, type Task, taskSchema } from '@autotraj/trajectory';
import { objectWithMethods, rejecting } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import { readRollouts as readRolloutsUnchecked } from '../rollout/read-rollouts.js';
import {
  type RolloutSummary,
  type RunRolloutsOptions,
  runRollouts as runRolloutsUnchecked,
} from '../rollout/run-rollouts.js';
import { advantageOptionsSchema } from './checked-rows.js';
import { fn, parseRlInput } from './parse-input.js';

// `runRollouts` checks its options before it opens the output directory: keys strictly (a
// misspelt `groupSzie` or `advantage.estimater` is an error naming it, not a run with the
// default), types by schema; the prompts as they stream in, each with `taskSchema` (defaults
// filled; unknown task keys ignored, as the JSONL readers do). `generation` is passed to
// `generateTrajectory`, whose own check names a misspelt key there.

const isIterable = (v: unknown) =>
  typeof v === 'object' &&
  v !== null &&
  (typeof (v as Record<symbol, unknown>)[Symbol.iterator] === 'function' ||
    typeof (v as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function');

const runRolloutsOptionsSchema = z.strictObject({
  prompts: z.custom<unknown>(isIterable, { message: 'expected an iterable of tasks' }),
  groupSize: z.number(),
  reward: objectWithMethods('a reward (createPresetReward)', 'score').optional(),
  preset: z.enum(['paper', 'autotraj']).optional(),
  trajectoryModel: objectWithMethods('a trajectory scorer', 'score').nullable().optional(),
  trajectoryModelCalibration: z
    .strictObject({ center: z.number(), scale: z.number() })
    .nullable()
    .optional(),
  outDir: z.string().min(1),
  model: objectWithMethods('a language model', 'doGenerate').optional(),
  tools: z.array(objectWithMethods('a tool runtime', 'run')).optional(),
  generation: z.record(z.string(), z.unknown()).optional(),
  generate: fn('a rollout function').optional(),
  concurrency: z.number().optional(),
  rewardBatchSize: z.number().optional(),
  rewardMaxWaitMs: z.number().optional(),
  advantage: advantageOptionsSchema.optional(),
  runTag: z.string().optional(),
  settings: z.record(z.string(), jsonValueSchema).optional(),
  forceNew: z.boolean().optional(),
  onGroup: fn('a function').optional(),
});

async function* checkedPrompts(
  prompts: Iterable<unknown> | AsyncIterable<unknown>,
): AsyncGenerator<Task> {
  let index = 0;
  for await (const prompt of prompts)
    yield parseRlInput(taskSchema, prompt, 'runRollouts', `options.prompts[${index++}]`);
}

/**
 * RL rollouts in groups (see rollout/run-rollouts.ts), options checked before any work and each
 * prompt as it is read: bad input is `RlConfigError` code `invalid_input`.
 */
export async function runRollouts(options: RunRolloutsOptions): Promise<RolloutSummary> {
  parseRlInput(runRolloutsOptionsSchema, options, 'runRollouts', 'options');
  return runRolloutsUnchecked({ ...options, prompts: checkedPrompts(options.prompts) });
}

/** The rollout records of a run (see rollout/read-rollouts.ts), the path checked first. */
export function readRollouts(path: string): Promise<{
  records: RolloutRecord[];
  groupSizes: Map<string, number>;
  skipped: JsonlLineError[];
}> {
  return rejecting(() =>
    readRolloutsUnchecked(parseRlInput(z.string().min(1), path, 'readRollouts', 'path')),
  );
}
