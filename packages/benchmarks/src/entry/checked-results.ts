import { rejecting } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import { comparisonMarkdown as comparisonMarkdownUnchecked } from '../report/compare.js';
import { resultsMarkdown as resultsMarkdownUnchecked } from '../report/markdown.js';
import {
  benchmarkComparisonSchema,
  type EvalComparison,
  type EvalResults,
  evalComparisonSchema,
  evalResultsSchema,
} from '../report/results-schema.js';
import type { EvalManifest, EvalRecord } from '../run/records.js';
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

/** `results.md` from `summarizeEval`'s results (see report/markdown.ts), the results checked. */
export function resultsMarkdown(results: EvalResults): string {
  return resultsMarkdownUnchecked(parse(evalResultsSchema, results, 'resultsMarkdown', 'results'));
}

// Every run after the first is compared with it: the table prints its delta.
const comparisonWithDeltas = evalComparisonSchema.extend({
  benchmarks: z.array(
    benchmarkComparisonSchema.extend({
      runs: benchmarkComparisonSchema.shape.runs.superRefine((runs, ctx) => {
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
    parse(comparisonWithDeltas, comparison, 'comparisonMarkdown', 'comparison'),
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
