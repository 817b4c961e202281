import { jsonValueSchema, promptTemplateSchema } from '@autotraj/trajectory';
import { objectWithMethods } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import { evalSettingsSchema } from '../run/records.js';
import {
  type RunEvalOptions,
  type RunEvalSummary,
  runEval as runEvalUnchecked,
} from '../run/run-eval.js';
import { parseBenchmarkInput } from './checked-scoring.js';

// `runEval` checks its options before it touches `outDir`: keys strictly (a misspelt
// `concurency` would otherwise run with the default), the questions and settings with their
// schemas (the settings are what a resumed run is compared against). Objects it calls (model,
// tools, backend, signal) are kept by reference.

const kinds = ['math', 'qa'] as const;
const questionSchema = z.looseObject({
  benchmark: z.string().min(1),
  id: z.string().min(1),
  question: z.string(),
  kind: z.enum(kinds),
  goldAnswers: z.array(z.string()),
});
const tools = z.array(objectWithMethods('a tool runtime', 'run'));

const runEvalOptionsSchema = z.strictObject({
  questions: z.array(questionSchema),
  sources: z.record(z.string(), z.string()),
  model: objectWithMethods('a language model', 'doGenerate'),
  modelName: z.string(),
  modelMode: z.string(),
  tools: z.strictObject({ math: tools, qa: tools }),
  settings: evalSettingsSchema.strict(),
  outDir: z.string().min(1),
  concurrency: z.number().optional(),
  retry: z.record(z.string(), z.unknown()).optional(),
  prompts: z
    .strictObject({ math: promptTemplateSchema, qa: promptTemplateSchema })
    .partial()
    .optional(),
  mathBackend: objectWithMethods('an answer backend', 'verify').optional(),
  onProgress: z
    .custom<unknown>((v) => typeof v === 'function', { message: 'expected a function' })
    .optional(),
  signal: z.instanceof(AbortSignal).optional(),
  shard: z
    .strictObject({
      index: z.number(),
      count: z.number(),
      source: z.enum(['flag', 'kubernetes', 'slurm']),
    })
    .optional(),
  runSettings: z.record(z.string(), jsonValueSchema).optional(),
  forceNew: z.boolean().optional(),
});

/**
 * Evaluate a model on benchmarks (see run/run-eval.ts), its options checked before any work:
 * bad input is `BenchmarkError` code `invalid_input` naming the field.
 */
export async function runEval(options: RunEvalOptions): Promise<RunEvalSummary> {
  parseBenchmarkInput(runEvalOptionsSchema, options, 'runEval', 'options');
  return runEvalUnchecked(options);
}
