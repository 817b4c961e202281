import { rejecting } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import {
  comparisonMarkdown as comparisonMarkdownUnchecked,
  type EvalComparison,
} from '../report/compare.js';
import { resultsMarkdown as resultsMarkdownUnchecked } from '../report/markdown.js';
import type { EvalResults } from '../report/summarize.js';
import {
  type EvalManifest,
  type EvalRecord,
  evalManifestSchema,
  evalSettingsSchema,
} from '../run/records.js';
import {
  readEvalManifest as readEvalManifestUnchecked,
  readEvalRecords as readEvalRecordsUnchecked,
} from '../run/store.js';
import { parseBenchmarkInput as parse } from './checked-scoring.js';

// The results tables and the run readers of the main entry check their arguments first: the
// results and the comparison as `summarizeEval` and `compareEvals` make them (unknown keys
// ignored, as in a `results.json` read back), paths as non-empty strings. A table used to be
// written with "undefined" cells, or threw a TypeError, for a result missing a field.
// Bad input is `BenchmarkError` code `invalid_input` naming the function and the field.

const count = z.number().int().nonnegative();
const fraction = z.number().min(0).max(1);
const finite = z.number().finite();
const byK = z.record(z.string(), fraction);

const benchmarkResult = z.object({
  benchmark: z.string(),
  kind: z.enum(['math', 'qa']),
  questions: count,
  expectedQuestions: count,
  samples: count,
  n: z.number().int().positive(),
  complete: z.boolean(),
  accuracy: fraction,
  correctSamples: count,
  passAtK: byK.optional(),
  majAtK: byK.optional(),
  em: fraction.optional(),
  f1: fraction.optional(),
  answered: fraction,
  toolCallsPerSample: finite,
  toolErrors: count,
  toolErrorsPerSample: finite,
  formatViolations: count,
  samplesWithFormatViolations: count,
  samplesWithTextFormToolCalls: count,
  samplesWithFabricatedToolOutput: count,
  outputTokensPerSample: finite,
  msPerSample: finite,
  msTotal: finite,
});

const evalResults = z.object({
  kind: z.literal('eval-results'),
  model: evalManifestSchema.shape.model,
  settings: evalSettingsSchema,
  benchmarks: z.array(benchmarkResult),
});

/** `results.md` from `summarizeEval`'s results (see report/markdown.ts), the results checked. */
export function resultsMarkdown(results: EvalResults): string {
  return resultsMarkdownUnchecked(
    // Cast: zod types an optional key as ?: T | undefined; the record types leave undefined out.
    parse(evalResults, results, 'resultsMarkdown', 'results') as EvalResults,
  );
}

const pairedResult = z.object({
  n: count,
  meanA: finite,
  meanB: finite,
  delta: finite,
  low: finite,
  high: finite,
  level: z.number().gt(0).lt(1),
  resamples: z.number().int().min(1),
  seed: z.number().int(),
});

const comparisonCell = z.object({
  label: z.string(),
  accuracy: fraction,
  ownAccuracy: fraction,
  ownQuestions: count,
  behaviour: z
    .object({
      samples: count,
      correct: count,
      inFormat: count,
      toolCallsPerSample: z.number().nonnegative(),
      samplesWithoutToolCalls: count,
      toolErrors: count,
      samplesWithToolErrors: count,
      outputTokensPerSample: z.number().nonnegative(),
    })
    .optional(),
  delta: pairedResult.optional(),
});

const evalComparison = z.object({
  baseline: z.string(),
  level: z.number().gt(0).lt(1),
  resamples: z.number().int().min(1),
  seed: z.number().int(),
  benchmarks: z.array(
    z.object({
      benchmark: z.string(),
      sharedQuestions: count,
      // Every run after the first is compared with it: the table prints its delta.
      runs: z.array(comparisonCell).superRefine((runs, ctx) => {
        runs.forEach((run, i) => {
          if (i > 0 && run.delta === undefined)
            ctx.addIssue({
              code: 'custom',
              path: [i, 'delta'],
              message: 'expected the delta against the first run',
            });
        });
      }),
    }),
  ),
});

/** The comparison as markdown tables (see report/compare.ts), the comparison checked. */
export function comparisonMarkdown(comparison: EvalComparison): string {
  return comparisonMarkdownUnchecked(
    parse(evalComparison, comparison, 'comparisonMarkdown', 'comparison') as EvalComparison,
  );
}

const path = z.string().min(1);

/** An evaluation directory's `manifest.json` (see run/store.ts), the directory checked. */
export function readEvalManifest(dir: string): EvalManifest | null {
  return readEvalManifestUnchecked(parse(path, dir, 'readEvalManifest', 'dir'));
}

/** An evaluation's `records.jsonl` (see run/store.ts), the path checked when called. */
export function readEvalRecords(file: string): Promise<EvalRecord[]> {
  return rejecting(() => readEvalRecordsUnchecked(parse(path, file, 'readEvalRecords', 'path')));
}
