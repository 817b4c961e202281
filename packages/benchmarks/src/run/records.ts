import { type Trajectory, trajectorySchema } from '@autotraj/trajectory';
import { z } from 'zod';

/** How one sample did: the answer check plus what the trajectory cost. */
export const evalVerdictSchema = z.object({
  correct: z.boolean(),
  extractedAnswer: z.string().nullable(),
  /** QA only. */
  em: z.number().min(0).max(1).optional(),
  /** QA only. */
  f1: z.number().min(0).max(1).optional(),
  toolCalls: z.number().int().nonnegative(),
  /** Tool results that were errors (exceptions, timeouts, bad input). */
  toolErrors: z.number().int().nonnegative(),
  /** Violations of the paper's text-tag format (`checkPaperFormat`); 0 under the native protocol. */
  formatViolations: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** Wall time of the generation (model calls + tools), as this process saw it. */
  ms: z.number().nonnegative(),
});
export type EvalVerdict = z.infer<typeof evalVerdictSchema>;

/**
 * One line of `records.jsonl`: one (benchmark, question, sample). `trajectory` is a full
 * `@autotraj/trajectory` Trajectory, so every trajectory reader accepts the line as an envelope.
 */
export const evalRecordSchema = z.object({
  benchmark: z.string().min(1),
  questionId: z.string().min(1),
  sample: z.number().int().nonnegative(),
  question: z.string(),
  goldAnswers: z.array(z.string()),
  trajectory: trajectorySchema,
  verdict: evalVerdictSchema,
});
export type EvalRecord = Omit<z.infer<typeof evalRecordSchema>, 'trajectory'> & {
  trajectory: Trajectory;
};

/** The settings a run was made with; a resumed run must use the same. */
export const evalSettingsSchema = z.object({
  protocol: z.enum(['text-tags', 'markdown', 'native']),
  /** Samples per question. */
  n: z.number().int().positive(),
  temperature: z.number().nonnegative(),
  /**
   * The run's seed: sample i of a question is drawn with
   * `sampleSeed({ runSeed: seed, taskId: questionId, index: i })` (`@autotraj/trajectory`).
   */
  seed: z.number().int(),
  maxToolCalls: z.number().int().nonnegative(),
  maxTokens: z.number().int().positive().nullable(),
  /** Tool names offered per kind (math: python; qa: search). */
  tools: z.object({ math: z.array(z.string()), qa: z.array(z.string()) }),
  /** Where search answers from, when a QA benchmark runs. */
  search: z.object({ kind: z.enum(['bm25', 'flashrag']), source: z.string() }).nullable(),
  /** `builtin` (the evaluator's verifier) or `math-verify` (Python Math-Verify). */
  mathChecker: z.enum(['builtin', 'math-verify']),
  /** The prompt template of each kind (name, version, hash); absent in runs made before prompts had names. */
  prompts: z
    .object({
      math: z.object({ name: z.string(), version: z.number().int(), hash: z.string() }),
      qa: z.object({ name: z.string(), version: z.number().int(), hash: z.string() }),
    })
    .optional(),
});
export type EvalSettings = z.infer<typeof evalSettingsSchema>;

export const evalManifestSchema = z.object({
  kind: z.literal('eval'),
  model: z.object({ name: z.string(), mode: z.string() }),
  settings: evalSettingsSchema,
  /**
   * How sample seeds were derived from `settings.seed` (`SAMPLE_SEED_DERIVATION`); absent in
   * runs made before it was recorded, whose sample i was drawn with seed `seed + i`.
   */
  seedDerivation: z.string().optional(),
  benchmarks: z.array(
    z.object({
      name: z.string(),
      kind: z.enum(['math', 'qa']),
      /** The file the questions came from. */
      source: z.string(),
      questions: z.number().int().nonnegative(),
    }),
  ),
  counts: z.object({
    /** Records expected: questions x n, over every benchmark. */
    expected: z.number().int().nonnegative(),
    done: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
  }),
  versions: z.record(z.string(), z.string()),
  startedAt: z.string(),
  updatedAt: z.string(),
  /** The shard this directory covers (`--shard`), null or absent for a whole run. */
  shard: z
    .object({
      index: z.number().int().nonnegative(),
      count: z.number().int().positive(),
      source: z.enum(['flag', 'kubernetes', 'slurm']),
      spec: z.string(),
    })
    .nullable()
    .optional(),
  /** The run's questions (`benchmark/questionId`, after --limit) and this shard's, as count + digest. */
  coverage: z
    .object({
      run: z.object({ count: z.number(), digest: z.string(), contentDigest: z.string() }),
      assigned: z.object({ count: z.number(), digest: z.string() }),
    })
    .optional(),
});
export type EvalManifest = z.infer<typeof evalManifestSchema>;

/** The key of a record: one per (benchmark, question, sample). */
export const recordKey = (r: Pick<EvalRecord, 'benchmark' | 'questionId' | 'sample'>): string =>
  `${r.benchmark}\u0000${r.questionId}\u0000${r.sample}`;
