import { z } from 'zod';
import { goldAnswersOf as goldAnswersUnchecked } from '../load/answers.js';
import {
  type BenchmarkQuestion,
  type LoadBenchmarkOptions,
  loadBenchmark as loadBenchmarkUnchecked,
  readBenchmarkFile as readBenchmarkFileUnchecked,
} from '../load/load-benchmark.js';
import type { BenchmarkKind } from '../registry.js';
import { compareEvals as compareEvalsUnchecked, type EvalRun } from '../report/compare.js';
import type { EvalComparison } from '../report/results-schema.js';
import { type EvalManifest, evalManifestSchema, evalRecordSchema } from '../run/records.js';
import {
  type BootstrapOptions,
  type PairedBootstrapResult,
  pairedBootstrap as pairedBootstrapUnchecked,
} from '../score/bootstrap.js';
import {
  passAtK as passAtKUnchecked,
  reportedKs as reportedKsUnchecked,
} from '../score/pass-at-k.js';
import { parseBenchmarkInput as parse } from './checked-scoring.js';

// The loaders, the comparison and the statistics of the main entry check their arguments first: runs with
// the record and manifest schemas (defaults filled; unknown record keys ignored, as the JSONL
// readers do), numbers by what they must be (a finite score, a whole count), options strictly.
// Bad input is `BenchmarkError` code `invalid_input` naming the function and the field.

const bootstrapOptions = z.strictObject({
  resamples: z.number().int().min(1).optional(),
  seed: z.number().int().optional(),
  level: z.number().gt(0).lt(1).optional(),
});

const runSchema = z.strictObject({
  label: z.string(),
  manifest: evalManifestSchema,
  records: z.array(evalRecordSchema),
});

/** Compare evaluation runs (see report/compare.ts), runs and options checked first. */
export function compareEvals(
  runs: ReadonlyArray<EvalRun>,
  options: BootstrapOptions = {},
): EvalComparison {
  const entry = 'compareEvals';
  return compareEvalsUnchecked(
    parse(z.array(runSchema), runs, entry, 'runs') as Array<EvalRun & { manifest: EvalManifest }>,
    parse(bootstrapOptions, options, entry, 'options'),
  );
}

const scores = z.array(z.number().finite());

/** Paired bootstrap of a difference of means (see score/bootstrap.ts), its arguments checked. */
export function pairedBootstrap(
  a: ReadonlyArray<number>,
  b: ReadonlyArray<number>,
  options: BootstrapOptions = {},
): PairedBootstrapResult {
  const entry = 'pairedBootstrap';
  return pairedBootstrapUnchecked(
    parse(scores, a, entry, 'a'),
    parse(scores, b, entry, 'b'),
    parse(bootstrapOptions, options, entry, 'options'),
  );
}

const count = z.number().int().nonnegative();

/** The unbiased pass@k estimator (see score/pass-at-k.ts), each count named when it is wrong. */
export function passAtK(n: number, c: number, k: number): number {
  const entry = 'passAtK';
  parse(count.min(1), n, entry, 'n');
  parse(count.max(n), c, entry, 'c');
  parse(count.min(1).max(n), k, entry, 'k');
  return passAtKUnchecked(n, c, k);
}

/** The k reported for n samples (see score/pass-at-k.ts), n checked. */
export function reportedKs(n: number): number[] {
  return reportedKsUnchecked(parse(count, n, 'reportedKs', 'n'));
}

const loadOptions = z.strictObject({ limit: z.number().int().nonnegative().optional() });

/** A shipped benchmark's questions (see load/load-benchmark.ts), its options checked. */
export function loadBenchmark(
  name: string,
  options: LoadBenchmarkOptions = {},
): BenchmarkQuestion[] {
  const entry = 'loadBenchmark';
  return loadBenchmarkUnchecked(
    parse(z.string(), name, entry, 'name'),
    parse(loadOptions, options, entry, 'options') as LoadBenchmarkOptions,
  );
}

const fileOptions = z.strictObject({
  benchmark: z.string().min(1),
  take: z.number().int().nonnegative().optional(),
  limit: z.number().int().nonnegative().optional(),
});

/** A benchmark JSONL file's questions (see load/load-benchmark.ts), path and options checked. */
export function readBenchmarkFile(
  path: string,
  options: { benchmark: string; take?: number; limit?: number },
): BenchmarkQuestion[] {
  const entry = 'readBenchmarkFile';
  return readBenchmarkFileUnchecked(
    parse(z.string().min(1), path, entry, 'path'),
    parse(fileOptions, options, entry, 'options') as typeof options,
  );
}

/** The gold answers of a benchmark answer (see load/answers.ts), its arguments checked. */
export function goldAnswersOf(
  answer: string | ReadonlyArray<string>,
  kind: BenchmarkKind,
): string[] {
  const entry = 'goldAnswersOf';
  return goldAnswersUnchecked(
    parse(z.union([z.string(), z.array(z.string())]), answer, entry, 'answer'),
    parse(z.enum(['math', 'qa']), kind, entry, 'kind'),
  );
}
