import {
  type EvaluationReport,
  evaluationReportSchema,
  type Task,
  type Trajectory,
  taskSchema,
} from '@autotraj/trajectory';
import { isTrajectory, objectWithMethods, stepListSchema } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import {
  type ConsistencyInput,
  type ConsistencyOptions,
  consistencyDimension as consistencyUnchecked,
} from '../dimensions/consistency.js';
import {
  type CorrectnessOptions,
  type CorrectnessOutcome,
  correctnessDimensionAsync as correctnessAsyncUnchecked,
  correctnessDimension as correctnessUnchecked,
  predictedAnswer as predictedAnswerUnchecked,
} from '../dimensions/correctness.js';
import {
  checkPaperFormat as checkPaperFormatUnchecked,
  formatDimension as formatDimensionUnchecked,
  type PaperFormatOptions,
  type PaperFormatResult,
} from '../dimensions/paper-format.js';
import {
  confidenceDimension as confidenceUnchecked,
  lengthDimension as lengthUnchecked,
  repetitionDimension as repetitionUnchecked,
} from '../dimensions/text-quality.js';
import {
  type ToolValidityOptions,
  toolValidityDimension as toolValidityUnchecked,
} from '../dimensions/tool-validity.js';
import type { Diagnostic, DimensionResult } from '../dimensions/types.js';
import {
  type AnswerCandidate,
  answerSources,
  type ExtractOptions,
  extractAnswers as extractAnswersUnchecked,
} from '../verify/extract.js';
import type { AnswerBackend } from '../verify/math-verify-backend.js';
import {
  normalizeQaAnswer as normalizeQaUnchecked,
  qaExactMatch as qaExactMatchUnchecked,
  qaF1 as qaF1Unchecked,
} from '../verify/qa.js';
import {
  type EquivalenceOptions,
  isEquivalent as isEquivalentUnchecked,
  type VerifyAnswerOptions,
  type VerifyAnswerResult,
  verifyAnswerAsync as verifyAnswerAsyncUnchecked,
  verifyAnswer as verifyAnswerUnchecked,
} from '../verify/verify-answer.js';
import {
  consistencyOptionsSchema,
  correctnessOptionsSchema,
  equivalenceShape,
  evaluatorOptionsSchema,
  formatOptionsSchema,
  parseEvaluatorInput as parse,
  toolValidityOptionsSchema,
} from './entry-input.js';
import type { SelectionDecision } from './report.js';
import { type SelectOptions, selectCandidates as selectUnchecked } from './selection.js';

// The dimension functions and answer checks of the main entry, their arguments checked first:
// records with the contract schemas (defaults filled), options strictly (a misspelt key is an
// error naming it). Bad input is an `EvaluatorError` with code `invalid_input` naming the
// function and the field. The evaluator itself calls the unchecked functions on input its
// entry points checked already.

// What the dimensions read of a trajectory. A whole trajectory already in the schema's form
// (or sealed by the library) is taken as is; anything else is parsed, `finalAnswer` defaulted.
const stepsArg = z.looseObject({ steps: stepListSchema });
const answerArg = stepsArg.extend({ finalAnswer: z.string().nullable().default(null) });
const consistencyArg = answerArg.extend({
  metadata: z.record(z.string(), z.unknown()).optional(),
});

function trajectoryArg<S extends z.ZodType>(schema: S, value: unknown, entry: string): z.output<S> {
  return isTrajectory(value) ? (value as z.output<S>) : parse(schema, value, entry, 'trajectory');
}

function options<S extends z.ZodType>(schema: S, value: unknown, entry: string): z.output<S> {
  return parse(schema, value, entry, 'options');
}

function text(value: unknown, entry: string, field = 'text'): string {
  return typeof value === 'string' ? value : parse(z.string(), value, entry, field);
}

/** Consistency (see dimensions/consistency.ts), its arguments checked. */
export function consistencyDimension(
  trajectory: ConsistencyInput,
  opts: ConsistencyOptions = {},
): DimensionResult {
  const entry = 'consistencyDimension';
  return consistencyUnchecked(
    trajectoryArg(consistencyArg, trajectory, entry) as ConsistencyInput,
    options(consistencyOptionsSchema, opts, entry) as ConsistencyOptions,
  );
}

/** The answer a trajectory gives (see dimensions/correctness.ts), its argument checked. */
export function predictedAnswer(trajectory: Pick<Trajectory, 'steps' | 'finalAnswer'>) {
  return predictedAnswerUnchecked(trajectoryArg(answerArg, trajectory, 'predictedAnswer'));
}

/** Correctness against the task's gold answers, its arguments checked. */
export function correctnessDimension(
  task: Task,
  trajectory: Pick<Trajectory, 'steps' | 'finalAnswer'>,
  opts: CorrectnessOptions = {},
): CorrectnessOutcome {
  const entry = 'correctnessDimension';
  return correctnessUnchecked(
    parse(taskSchema, task, entry, 'task'),
    trajectoryArg(answerArg, trajectory, entry),
    options(correctnessOptionsSchema, opts, entry) as CorrectnessOptions,
  );
}

/** `correctnessDimension` with an asynchronous backend allowed, its arguments checked. */
export async function correctnessDimensionAsync(
  task: Task,
  trajectory: Pick<Trajectory, 'steps' | 'finalAnswer'>,
  opts: CorrectnessOptions = {},
): Promise<CorrectnessOutcome> {
  const entry = 'correctnessDimensionAsync';
  return correctnessAsyncUnchecked(
    parse(taskSchema, task, entry, 'task'),
    trajectoryArg(answerArg, trajectory, entry),
    options(correctnessOptionsSchema, opts, entry) as CorrectnessOptions,
  );
}

/** The paper's tag rules on a text (see dimensions/paper-format.ts), its arguments checked. */
export function checkPaperFormat(input: string, opts: PaperFormatOptions = {}): PaperFormatResult {
  const entry = 'checkPaperFormat';
  return checkPaperFormatUnchecked(text(input, entry), options(formatOptionsSchema, opts, entry));
}

/** Format as a dimension, its arguments checked. */
export function formatDimension(
  input: string,
  opts: PaperFormatOptions = {},
): { score: number; diagnostics: Diagnostic[] } {
  const entry = 'formatDimension';
  return formatDimensionUnchecked(text(input, entry), options(formatOptionsSchema, opts, entry));
}

/** Confidence (uncertainty words in think steps), its argument checked. */
export function confidenceDimension(trajectory: Pick<Trajectory, 'steps'>): DimensionResult {
  return confidenceUnchecked(trajectoryArg(stepsArg, trajectory, 'confidenceDimension'));
}

/** Length against the group's shortest, its arguments checked. */
export function lengthDimension(words: number, shortest: number): DimensionResult {
  const entry = 'lengthDimension';
  const count = z.number().nonnegative();
  return lengthUnchecked(
    parse(count, words, entry, 'words'),
    parse(count, shortest, entry, 'shortest'),
  );
}

/** Repetition (repeated trigrams), its argument checked. */
export function repetitionDimension(words: ReadonlyArray<string>): DimensionResult {
  return repetitionUnchecked(parse(z.array(z.string()), words, 'repetitionDimension', 'words'));
}

/** Tool validity, its arguments checked. */
export function toolValidityDimension(
  trajectory: Pick<Trajectory, 'steps'>,
  opts: ToolValidityOptions = {},
): DimensionResult {
  const entry = 'toolValidityDimension';
  return toolValidityUnchecked(
    trajectoryArg(stepsArg, trajectory, entry),
    options(toolValidityOptionsSchema, opts, entry),
  );
}

const verifyShape = {
  ...equivalenceShape,
  gold: z.union([z.string(), z.array(z.string())]),
  pred: z.string(),
  match: z.array(z.enum(['latex', 'expr'])).optional(),
  sources: z.array(z.string()).optional(),
};
const verifyArgs = z.strictObject(verifyShape);
const verifyAsyncArgs = z.strictObject({
  ...verifyShape,
  backend: objectWithMethods<AnswerBackend>('an answer backend', 'verify').optional(),
});
const equivalenceOptions = z.strictObject(equivalenceShape);

/** Math-Verify-style answer check (see verify/verify-answer.ts), its options checked. */
export function verifyAnswer(opts: VerifyAnswerOptions): VerifyAnswerResult {
  return verifyAnswerUnchecked(
    parse(verifyArgs, opts, 'verifyAnswer', 'options') as VerifyAnswerOptions,
  );
}

/** `verifyAnswer` off the event loop, or by a backend, its options checked. */
export async function verifyAnswerAsync(
  opts: VerifyAnswerOptions & { backend?: AnswerBackend },
): Promise<VerifyAnswerResult> {
  return verifyAnswerAsyncUnchecked(
    parse(verifyAsyncArgs, opts, 'verifyAnswerAsync', 'options') as VerifyAnswerOptions & {
      backend?: AnswerBackend;
    },
  );
}

/** Compare two extracted answers, its arguments checked. */
export function isEquivalent(a: string, b: string, opts: EquivalenceOptions = {}): boolean {
  const entry = 'isEquivalent';
  return isEquivalentUnchecked(
    text(a, entry, 'a'),
    text(b, entry, 'b'),
    options(equivalenceOptions, opts, entry),
  );
}

const selectOptions = z.strictObject({
  thresholds: evaluatorOptionsSchema.shape.thresholds.unwrap().required(),
  texts: z.instanceof(Map).optional(),
  empty: z.instanceof(Set).optional(),
});

/** The paper's per-query selection (see evaluate/selection.ts), its arguments checked. */
export function selectCandidates(
  reports: ReadonlyArray<EvaluationReport>,
  opts: SelectOptions,
): SelectionDecision[] {
  const entry = 'selectCandidates';
  return selectUnchecked(
    parse(z.array(evaluationReportSchema), reports, entry, 'reports'),
    options(selectOptions, opts, entry) as SelectOptions,
  );
}

const extractOptions = z.strictObject({
  targets: z.array(z.enum(['latex', 'expr'])).optional(),
  sources: z.array(z.enum(answerSources as [string, ...string[]])).optional(),
});

/** The answer candidates in a text (see verify/extract.ts), its arguments checked. */
export function extractAnswers(input: string, opts: ExtractOptions = {}): AnswerCandidate[] {
  const entry = 'extractAnswers';
  return extractAnswersUnchecked(
    text(input, entry, 'input'),
    options(extractOptions, opts, entry) as ExtractOptions,
  );
}

/** SQuAD's answer normalisation (see verify/qa.ts), its argument checked. */
export function normalizeQaAnswer(input: string): string {
  return normalizeQaUnchecked(text(input, 'normalizeQaAnswer'));
}

const golds = z.union([z.string(), z.array(z.string())]);

/** The QA golds: one string or a list of strings (a for loop: a hole is refused, not skipped). */
function qaGolds(value: unknown, entry: string): string | ReadonlyArray<string> {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    let ready = true;
    for (let i = 0; i < value.length && ready; i++) ready = typeof value[i] === 'string';
    if (ready) return value;
  }
  return parse(golds, value, entry, 'golds');
}

/** SQuAD exact match against any gold (see verify/qa.ts), its arguments checked. */
export function qaExactMatch(pred: string, goldAnswers: string | ReadonlyArray<string>): boolean {
  const entry = 'qaExactMatch';
  return qaExactMatchUnchecked(text(pred, entry, 'pred'), qaGolds(goldAnswers, entry));
}

/** SQuAD token F1, the best over the golds (see verify/qa.ts), its arguments checked. */
export function qaF1(pred: string, goldAnswers: string | ReadonlyArray<string>): number {
  const entry = 'qaF1';
  return qaF1Unchecked(text(pred, entry, 'pred'), qaGolds(goldAnswers, entry));
}
