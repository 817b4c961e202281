import { admissionModes } from '@autotraj/repairer';
import { entryInputParser } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import { RunMergeError } from '../merge/merge-error.js';
import {
  type MergeRunsOptions,
  type MergeRunsResult,
  mergeRuns as mergeUnchecked,
} from '../merge/merge-runs.js';
import { PipelineOptionsError } from '../pipeline/pipeline-options-error.js';
import {
  type PipelineOptions,
  type PipelineResult,
  runPipeline as runPipelineUnchecked,
} from '../pipeline/run-pipeline.js';

// The cli's library functions parse their options before any work: keys strictly (a misspelt
// option is an error naming it, not a run with the default), types by schema. The semantic
// checks (contradictory model options, ranges) stay with the functions themselves.

const pipelineError = entryInputParser(
  (problem) =>
    new PipelineOptionsError({
      code: 'invalid_input',
      // The option as `PipelineOptions` names it (`limit`), so runCli can print its flag.
      parameters: [problem.field.replace(/^options\./, '').split(/[.[]/)[0]!],
      message: problem.message,
      cause: problem.error,
    }),
);

const pipelineOptionsSchema = z.strictObject({
  outDir: z.string().min(1),
  tasks: z.string().optional(),
  n: z.number().optional(),
  groupSize: z.number().optional(),
  model: z.string().optional(),
  baseURL: z.string().optional(),
  lora: z.string().optional(),
  replay: z.string().optional(),
  concurrency: z.number().optional(),
  limit: z.number().optional(),
  rolloutLimit: z.number().optional(),
  temperature: z.number().optional(),
  maxTokens: z.number().optional(),
  protocol: z.enum(['text-tags', 'markdown', 'native']).optional(),
  prompt: z.string().optional(),
  repairPrompt: z.string().optional(),
  minPairs: z.number().optional(),
  admission: z.enum(admissionModes).optional(),
  repairRefused: z.boolean().optional(),
  forceNew: z.boolean().optional(),
  onProgress: z
    .custom<NonNullable<PipelineOptions['onProgress']>>((v) => typeof v === 'function', {
      message: 'expected a function',
    })
    .optional(),
});

/** The whole method (see pipeline/run-pipeline.ts), its options checked first. */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  return runPipelineUnchecked(
    pipelineError(pipelineOptionsSchema, options, 'runPipeline', 'options') as PipelineOptions,
  );
}

const mergeError = entryInputParser(
  (problem) =>
    new RunMergeError({
      reason: 'options-invalid',
      field: problem.field,
      message: problem.issues[0]?.message ?? 'invalid option',
    }),
);

const mergeOptionsSchema = z.strictObject({
  dirs: z.array(z.string().min(1)),
  outDir: z.string().min(1),
});

/** Join shard outputs (see merge/merge-runs.ts), its options checked first. */
export async function mergeRuns(options: MergeRunsOptions): Promise<MergeRunsResult> {
  return mergeUnchecked(mergeError(mergeOptionsSchema, options, 'mergeRuns', 'options'));
}
