import { z } from 'zod';
import { evalManifestSchema, evalSettingsSchema } from '../run/records.js';
import { pairedBootstrapResultSchema } from '../score/bootstrap.js';

// What `results.json` and `autotraj compare` hold: the schemas are the source of the types, and
// the checked entry (`resultsMarkdown`, `comparisonMarkdown`) parses with them.

const count = z.number().int().nonnegative();
const fraction = z.number().min(0).max(1);
const finite = z.number().finite();
const byK = z.record(z.string(), fraction);

/** One benchmark's figures in `results.json` (`summarizeEval`). */
export const benchmarkResultSchema = z.object({
  benchmark: z.string(),
  kind: z.enum(['math', 'qa']),
  /** Questions with at least one record. */
  questions: count,
  /** Questions the manifest lists for this benchmark. */
  expectedQuestions: count,
  samples: count,
  /** Samples per question (the run's n). */
  n: z.number().int().positive(),
  /** Every expected (question, sample) has a record. */
  complete: z.boolean(),
  /** Mean over questions of the fraction of correct samples (plain accuracy when n = 1). */
  accuracy: fraction,
  correctSamples: count,
  /** n > 1: unbiased pass@k per reported k (1, 2, 4, ..., n), over questions with all n samples. */
  passAtK: byK.optional(),
  /** n > 1: majority-vote accuracy over all n samples (ties to the answer given first). */
  majAtK: byK.optional(),
  /** QA: mean exact match and token F1 over samples. */
  em: fraction.optional(),
  f1: fraction.optional(),
  /** Fraction of samples that gave an answer at all. */
  answered: fraction,
  toolCallsPerSample: finite,
  toolErrors: count,
  toolErrorsPerSample: finite,
  formatViolations: count,
  samplesWithFormatViolations: count,
  /**
   * Samples with a tool call written as text that nothing ran (a ```python block or call JSON in
   * reasoning, offered native tools): the model wanted the tool and did not get it.
   */
  samplesWithTextFormToolCalls: count,
  /** Samples with tool output the model wrote itself (a `<result>` or ```output nothing produced). */
  samplesWithFabricatedToolOutput: count,
  outputTokensPerSample: finite,
  msPerSample: finite,
  msTotal: finite,
});
export type BenchmarkResult = z.infer<typeof benchmarkResultSchema>;

/** `results.json` of an evaluation. */
export const evalResultsSchema = z.object({
  kind: z.literal('eval-results'),
  model: evalManifestSchema.shape.model,
  settings: evalSettingsSchema,
  benchmarks: z.array(benchmarkResultSchema),
});
export type EvalResults = z.infer<typeof evalResultsSchema>;

/** What a run's samples did on the paired questions, beside whether they were right. */
export const comparisonBehaviourSchema = z.object({
  samples: count,
  correct: count,
  /** Samples without a violation of the paper's format (all of them under the native protocol). */
  inFormat: count,
  toolCallsPerSample: z.number().nonnegative(),
  /** Samples that made no tool call. */
  samplesWithoutToolCalls: count,
  /** Tool results that were errors, and the samples that had one. */
  toolErrors: count,
  samplesWithToolErrors: count,
  outputTokensPerSample: z.number().nonnegative(),
});
export type ComparisonBehaviour = z.infer<typeof comparisonBehaviourSchema>;

/** One run of a comparison, on one benchmark. */
export const comparisonCellSchema = z.object({
  label: z.string(),
  /** Accuracy over the questions every run answered (the paired set). */
  accuracy: fraction,
  /** Accuracy over all of this run's questions of the benchmark. */
  ownAccuracy: fraction,
  ownQuestions: count,
  /** Over the paired questions' samples (absent in comparisons made before it was added). */
  behaviour: comparisonBehaviourSchema.optional(),
  /** Against the first run, over the shared questions; absent for the first run. */
  delta: pairedBootstrapResultSchema.optional(),
});
export type ComparisonCell = z.infer<typeof comparisonCellSchema>;

export const benchmarkComparisonSchema = z.object({
  benchmark: z.string(),
  /** Questions every run has records for: the paired set. */
  sharedQuestions: count,
  runs: z.array(comparisonCellSchema),
});
export type BenchmarkComparison = z.infer<typeof benchmarkComparisonSchema>;

/** `compareEvals`: every run after the first against it, benchmark by benchmark. */
export const evalComparisonSchema = z.object({
  baseline: z.string(),
  level: z.number().gt(0).lt(1),
  resamples: z.number().int().min(1),
  seed: z.number().int(),
  benchmarks: z.array(benchmarkComparisonSchema),
});
export type EvalComparison = z.infer<typeof evalComparisonSchema>;
