import { type Task, type Trajectory, taskSchema, trajectorySchema } from '@autotraj/trajectory';
import { objectWithMethods, rejecting } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import { createJudgeCache as createJudgeCacheUnchecked, type JudgeCache } from '../judge/cache.js';
import {
  createLlmJudge as createLlmJudgeUnchecked,
  type LlmJudge,
  type LlmJudgeOptions,
} from '../judge/llm-judge.js';
import {
  createMathVerifyBackend as createBackendUnchecked,
  type MathVerifyBackend,
  type MathVerifyBackendOptions,
} from '../verify/math-verify-backend.js';
import { parseEvaluatorInput as parse } from './entry-input.js';
import {
  type DimensionName,
  dimensionNames,
  type QualityWeights,
  qualityScore as qualityScoreUnchecked,
} from './presets.js';

// The judge, the Math-Verify backend, the judge cache and qualityScore of the main entry check
// their arguments first (EvaluatorError code `invalid_input` naming the function and the
// field; option keys strict): a misspelt `temprature` is named, not a judge at the default.

const judgeOptions = z.strictObject({
  // A model id (the ai SDK's global provider) or a model object.
  model: z.union([z.string().min(1), objectWithMethods('a language model', 'doGenerate')]),
  instructions: z.string().optional(),
  cache: objectWithMethods<JudgeCache>('a judge cache (createJudgeCache)', 'get', 'set').optional(),
  temperature: z.number().min(0).optional(),
});
const judgeInput = z.strictObject({ task: z.unknown(), trajectory: z.unknown() });

/** An LLM judge (see judge/llm-judge.ts), its options and each `judge` input checked. */
export function createLlmJudge(options: LlmJudgeOptions): LlmJudge {
  parse(judgeOptions, options, 'createLlmJudge', 'options');
  // The model and cache are the caller's objects, kept as they are.
  const inner = createLlmJudgeUnchecked(options);
  return {
    cache: inner.cache,
    judge: (input) =>
      rejecting(() => {
        const at = 'judge.judge';
        const args = parse(judgeInput, input, at, '');
        const task: Task = parse(taskSchema, args.task, at, 'task');
        const trajectory: Trajectory = parse(trajectorySchema, args.trajectory, at, 'trajectory');
        return inner.judge({ task, trajectory });
      }),
  };
}

const positive = z.number().positive().optional();
const backendOptions = z.strictObject({
  executor: objectWithMethods('a Python executor (createPythonPool)', 'run', 'close').optional(),
  poolSize: z.number().int().positive().optional(),
  timeoutMs: positive,
  parsingTimeoutSeconds: positive,
  verifyTimeoutSeconds: positive,
});

/** Math-Verify in a Python pool (see verify/math-verify-backend.ts), options checked first. */
export function createMathVerifyBackend(options: MathVerifyBackendOptions = {}): MathVerifyBackend {
  parse(backendOptions, options, 'createMathVerifyBackend', 'options');
  // The executor is the caller's pool, kept as it is.
  return createBackendUnchecked(options);
}

const cacheOptions = z.strictObject({ file: z.string().min(1).optional() });

/** The judge's verdict cache (see judge/cache.ts), options checked. */
export function createJudgeCache(options: { file?: string } = {}): JudgeCache {
  return createJudgeCacheUnchecked(
    parse(cacheOptions, options, 'createJudgeCache', 'options') as { file?: string },
  );
}

const weightsSchema = z.strictObject(
  Object.fromEntries(dimensionNames.map((name) => [name, z.number().optional()])) as Record<
    DimensionName,
    z.ZodOptional<z.ZodNumber>
  >,
);
const scoresSchema = z.record(z.string(), z.number().optional());

/** The weighted mean of dimension scores (see evaluate/presets.ts), both arguments checked. */
export function qualityScore(
  scores: Partial<Record<string, number>>,
  weights: QualityWeights,
): number {
  const entry = 'qualityScore';
  return qualityScoreUnchecked(
    parse(scoresSchema, scores, entry, 'scores'),
    parse(weightsSchema, weights, entry, 'weights') as QualityWeights,
  );
}
