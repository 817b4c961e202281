import { stepSchema } from '@autotraj/trajectory';
import { entryInputParser } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import { BenchmarkError } from '../errors.js';
import type { BenchmarkKind } from '../registry.js';
import type { EvalResults } from '../report/results-schema.js';
import {
  questionScores as questionScoresUnchecked,
  summarizeEval as summarizeEvalUnchecked,
} from '../report/summarize.js';
import {
  type EvalManifest,
  type EvalRecord,
  evalManifestSchema,
  evalRecordSchema,
} from '../run/records.js';
import {
  type AnswerCheck,
  type CheckAnswerOptions,
  checkAnswer as checkAnswerUnchecked,
} from '../score/check-answer.js';
import {
  type MajorityVoteOptions,
  majorityVote as majorityVoteUnchecked,
  type VoteResult,
  type VoteSample,
} from '../score/majority.js';

// The scoring and summary functions of the main entry parse their input first: records with
// their schemas (defaults filled; unknown record keys ignored, as the JSONL readers do),
// options strictly. Bad input is `BenchmarkError` code `invalid_input` naming the field.

export const parseBenchmarkInput = entryInputParser(
  (problem) =>
    new BenchmarkError({
      code: 'invalid_input',
      message: problem.message,
      cause: problem.error,
    }),
);

const kindSchema = z.enum(['math', 'qa']);

const checkAnswerSchema = z.strictObject({
  kind: kindSchema,
  goldAnswers: z.array(z.string()),
  // Only what checking reads: a whole trajectory is accepted too (its other keys are kept).
  trajectory: z.looseObject({
    steps: z.array(stepSchema),
    finalAnswer: z.string().nullable().default(null),
  }),
  mathBackend: z
    .custom<NonNullable<CheckAnswerOptions['mathBackend']>>(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as { verify?: unknown }).verify === 'function',
      { message: 'expected an answer backend (an object with verify)' },
    )
    .optional(),
});

/** Check one trajectory's answer (see check-answer.ts), its options checked first. */
export async function checkAnswer(options: CheckAnswerOptions): Promise<AnswerCheck> {
  return checkAnswerUnchecked(
    parseBenchmarkInput(checkAnswerSchema, options, 'checkAnswer', 'options'),
  );
}

const voteSampleSchema = z.looseObject({ answer: z.string().nullable(), correct: z.boolean() });
const voteOptionsSchema = z.strictObject({
  equivalent: z
    .custom<(a: string, b: string) => boolean>((v) => typeof v === 'function', {
      message: 'expected a function (a, b) => boolean',
    })
    .optional(),
});

/** Majority vote (see majority.ts), its samples and options checked first. */
export function majorityVote(
  samples: ReadonlyArray<VoteSample>,
  kind: BenchmarkKind,
  options: MajorityVoteOptions = {},
): VoteResult {
  const entry = 'majorityVote';
  return majorityVoteUnchecked(
    parseBenchmarkInput(z.array(voteSampleSchema), samples, entry, 'samples'),
    parseBenchmarkInput(kindSchema, kind, entry, 'kind'),
    parseBenchmarkInput(voteOptionsSchema, options, entry, 'options'),
  );
}

function records(values: unknown, entry: string): EvalRecord[] {
  const list = parseBenchmarkInput(z.array(z.unknown()), values, entry, 'records');
  const out: EvalRecord[] = [];
  for (let i = 0; i < list.length; i++)
    out.push(parseBenchmarkInput(evalRecordSchema, list[i], entry, `records[${i}]`));
  return out;
}

/** Per-question scores (see summarize.ts), the records checked first. */
export function questionScores(
  records_: ReadonlyArray<EvalRecord>,
  benchmark: string,
): Map<string, number> {
  const entry = 'questionScores';
  return questionScoresUnchecked(
    records(records_, entry),
    parseBenchmarkInput(z.string(), benchmark, entry, 'benchmark'),
  );
}

/** `results.json` from records and manifest (see summarize.ts), both checked first. */
export function summarizeEval(
  records_: ReadonlyArray<EvalRecord>,
  manifest: EvalManifest,
): EvalResults {
  const entry = 'summarizeEval';
  return summarizeEvalUnchecked(
    records(records_, entry),
    parseBenchmarkInput(evalManifestSchema, manifest, entry, 'manifest'),
  );
}
