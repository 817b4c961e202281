import { EvaluatorError } from '../errors.js';
import { type AnswerTree, type CompareOptions, treeKey } from './answer-tree.js';
import {
  type ComparisonIsolation,
  runSymbolic,
  runSymbolicAsync,
  type SymbolicOutcome,
} from './deadline.js';
import { type AnswerSource, type ExtractionTarget, extractAnswers } from './extract.js';
import type { AnswerBackend } from './math-verify-backend.js';
import { answerTree } from './normalize.js';
import { numbersEqual, type WrittenNumber, writtenNumber } from './numbers.js';
import type { SymbolicRequest } from './symbolic.js';

export interface EquivalenceOptions {
  /** Digits after the decimal point that must agree (Math-Verify's `float_rounding`). Default 6. */
  precision?: number | undefined;
  /**
   * Variables matter, as Math-Verify's `strict`: `f(x)` is not `f(y)`, `x = 1` is not `y = 1`
   * (without it the prediction's variable is renamed to the gold's). Label equations unwrap
   * either way (`k = 1` matches `1`). Default true, Math-Verify's default (`verify(strict=True)`),
   * so a case that does not set it means what it means there.
   */
  strict?: boolean | undefined;
  /**
   * Let a predicted relation match a gold interval (`x < 2` for `(-\infty, 2)`). A gold relation
   * matches a predicted interval without it (Math-Verify's asymmetry). Default false.
   */
  allowSetRelationComp?: boolean | undefined;
  /** Deadline for one symbolic comparison. Default 5000 ms. */
  timeoutMs?: number | undefined;
  /** `worker` (default) enforces the deadline; `inline` runs in this thread without one. */
  isolation?: ComparisonIsolation | undefined;
}

export interface VerifyAnswerOptions extends EquivalenceOptions {
  gold: string | ReadonlyArray<string>;
  pred: string;
  /** Extraction targets, as in Math-Verify. Default both. */
  match?: ReadonlyArray<ExtractionTarget> | undefined;
  /** Extraction methods to use (default all). */
  sources?: ReadonlyArray<AnswerSource> | undefined;
}

/** `math-verify`: the verdict came from the Python Math-Verify backend. */
export type VerificationMethod = 'none' | 'string' | 'number' | 'symbolic' | 'math-verify';

export interface VerifyAnswerResult {
  equivalent: boolean;
  /** The answer extracted from each gold (empty string when none was found). */
  extractedGold: string[];
  /** The answer extracted from the prediction (empty when none was found). */
  extractedPred: string[];
  /** Which stage decided. */
  method: VerificationMethod;
  /** The symbolic comparison hit its deadline (and counts as not equivalent). */
  timedOut: boolean;
}

/** Candidates per side handed to the CAS: the first it can parse is used. */
const CANDIDATES = 3;

function compareOptions(
  options: EquivalenceOptions,
): CompareOptions & { timeoutMs: number; isolation: ComparisonIsolation } {
  const precision = options.precision ?? 6;
  if (!Number.isInteger(precision) || precision < 0 || precision > 15) {
    throw new EvaluatorError({
      code: 'invalid_option',
      message: `precision must be an integer in [0, 15], got ${precision}`,
    });
  }
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!(timeoutMs > 0))
    throw new EvaluatorError({
      code: 'invalid_option',
      message: `timeoutMs must be positive, got ${timeoutMs}`,
    });
  return {
    precision,
    strict: options.strict ?? true,
    allowSetRelationComp: options.allowSetRelationComp ?? false,
    timeoutMs,
    isolation: options.isolation ?? 'worker',
  };
}

function trees(texts: ReadonlyArray<string>): AnswerTree[] {
  return texts.map(answerTree).filter((tree): tree is AnswerTree => tree !== null);
}

function plainNumber(tree: AnswerTree | undefined): WrittenNumber | null {
  return tree?.kind === 'item' && !tree.literal ? writtenNumber(tree.latex, tree.percent) : null;
}

type Decision = Pick<VerifyAnswerResult, 'equivalent' | 'method' | 'timedOut'>;

/** Either a decision reached cheaply, or the symbolic request that still has to run. */
type Pending =
  | { decided: Decision }
  | { request: SymbolicRequest; timeoutMs: number; isolation: ComparisonIsolation };

/** Exact key, then plain numbers in-thread; anything else needs the symbolic comparison. */
function prepare(gold: AnswerTree[][], pred: AnswerTree[], options: EquivalenceOptions): Pending {
  const resolved = compareOptions(options);
  const best = pred[0];
  const golds = gold.filter((candidates) => candidates.length > 0);
  if (best === undefined || golds.length === 0)
    return { decided: { equivalent: false, method: 'none', timedOut: false } };
  if (golds.some((candidates) => treeKey(candidates[0]!) === treeKey(best)))
    return { decided: { equivalent: true, method: 'string', timedOut: false } };
  const predNumber = plainNumber(best);
  if (predNumber !== null && golds.every((candidates) => plainNumber(candidates[0]) !== null)) {
    const equivalent = golds.some((candidates) =>
      numbersEqual(plainNumber(candidates[0])!, predNumber, resolved.precision),
    );
    return { decided: { equivalent, method: 'number', timedOut: false } };
  }
  return {
    request: { gold: golds, pred, options: resolved },
    timeoutMs: resolved.timeoutMs,
    isolation: resolved.isolation,
  };
}

function symbolicDecision(outcome: SymbolicOutcome): Decision {
  return { equivalent: outcome.equivalent, method: 'symbolic', timedOut: outcome.timedOut };
}

interface Prepared {
  pending: Pending;
  extractedGold: string[];
  extractedPred: string[];
}

function prepareVerification(options: VerifyAnswerOptions): Prepared {
  const golds = typeof options.gold === 'string' ? [options.gold] : [...options.gold];
  // Bare numbers on both sides (GSM8K-style): nothing to extract, compare right away.
  const predValue = writtenNumber(options.pred);
  if (predValue !== null && golds.length > 0) {
    const goldValues = golds.map((gold) => writtenNumber(gold));
    if (goldValues.every((value) => value !== null)) {
      const { precision } = compareOptions(options);
      const equivalent = goldValues.some((value) => numbersEqual(value!, predValue, precision));
      return {
        pending: { decided: { equivalent, method: 'number', timedOut: false } },
        extractedGold: golds.map((gold) => gold.trim()),
        extractedPred: [options.pred.trim()],
      };
    }
  }
  const extractOptions = {
    targets: options.match ?? (['latex', 'expr'] as const),
    ...(options.sources ? { sources: options.sources } : {}),
  };
  const goldCandidates = golds.map((gold) =>
    extractAnswers(gold, extractOptions).slice(0, CANDIDATES),
  );
  const predCandidates = extractAnswers(options.pred, extractOptions).slice(0, CANDIDATES);
  return {
    pending: prepare(
      goldCandidates.map((candidates) => trees(candidates.map((candidate) => candidate.text))),
      trees(predCandidates.map((candidate) => candidate.text)),
      options,
    ),
    extractedGold: goldCandidates.map((candidates) => candidates[0]?.text ?? ''),
    extractedPred: predCandidates[0] === undefined ? [] : [predCandidates[0].text],
  };
}

/**
 * Math-Verify-style answer check: extract the answer from gold and prediction (free text with
 * `\boxed{}`, `$...$`, "the answer is", `#### x`, `A: x`, or the last number), then compare
 * them as numbers, sets, intervals, tuples, matrices, relations or expressions. Synchronous:
 * a symbolic comparison blocks this thread until it ends or hits `timeoutMs`.
 */
export function verifyAnswer(options: VerifyAnswerOptions): VerifyAnswerResult {
  const { pending, extractedGold, extractedPred } = prepareVerification(options);
  const decision =
    'decided' in pending
      ? pending.decided
      : symbolicDecision(runSymbolic(pending.request, pending));
  return resultOf(decision, extractedGold, extractedPred);
}

/**
 * The result as one literal, in the order `{ ...decision, extractedGold, extractedPred }` gave
 * (the same JSON): the evaluator verifies every candidate's answer, and the copied object's
 * shape slowed each read of it (`timedOut` in the correctness dimension most).
 */
function resultOf(
  decision: Decision,
  extractedGold: string[],
  extractedPred: string[],
): VerifyAnswerResult {
  return {
    equivalent: decision.equivalent,
    method: decision.method,
    timedOut: decision.timedOut,
    extractedGold,
    extractedPred,
  };
}

/**
 * `verifyAnswer` without blocking the event loop (for servers): symbolic comparisons run in a
 * separate worker and are awaited, still under the `timeoutMs` deadline. With `backend`, the
 * backend decides (e.g. Math-Verify itself in Python).
 */
export async function verifyAnswerAsync(
  options: VerifyAnswerOptions & {
    /** Decide with another backend (`createMathVerifyBackend()`) instead of this verifier. */
    backend?: AnswerBackend;
  },
): Promise<VerifyAnswerResult> {
  if (options.backend !== undefined) {
    const { backend, ...rest } = options;
    return backend.verify(rest);
  }
  const { pending, extractedGold, extractedPred } = prepareVerification(options);
  const decision =
    'decided' in pending
      ? pending.decided
      : symbolicDecision(await runSymbolicAsync(pending.request, pending));
  return resultOf(decision, extractedGold, extractedPred);
}

/** Compare two answers that are already extracted (no searching in prose). */
export function isEquivalent(a: string, b: string, options: EquivalenceOptions = {}): boolean {
  const pending = prepare([trees([a])], trees([b]), options);
  return 'decided' in pending
    ? pending.decided.equivalent
    : runSymbolic(pending.request, pending).equivalent;
}
