import {
  type AnswerBackend,
  predictedAnswer,
  qaExactMatch,
  qaF1,
  verifyAnswerAsync,
} from '@autotraj/evaluator';
import type { Trajectory } from '@autotraj/trajectory';
import type { BenchmarkKind } from '../registry.js';

export interface AnswerCheck {
  correct: boolean;
  /** The answer taken from the trajectory (its `\boxed{}` content when it has one); null when none. */
  extractedAnswer: string | null;
  /** QA only: normalised exact match against any alias (0 or 1). */
  em?: number;
  /** QA only: SQuAD token F1 against the best alias. */
  f1?: number;
}

export interface CheckAnswerOptions {
  kind: BenchmarkKind;
  goldAnswers: ReadonlyArray<string>;
  trajectory: Pick<Trajectory, 'steps' | 'finalAnswer'>;
  /** Math only: decide with this backend (e.g. `createMathVerifyBackend()`, Python Math-Verify) instead of the built-in verifier. */
  mathBackend?: AnswerBackend | undefined;
}

const boxed = (text: string) => `\\boxed{${text}}`;

/**
 * Check one trajectory's answer. Math: the evaluator's Math-Verify-style equivalence
 * (`verifyAnswerAsync`: numbers, fractions, sets, intervals, tuples, expressions through the
 * CAS, in a worker under a 5 s deadline), both sides boxed so extraction cannot pick a stray
 * number out of the gold. QA: SQuAD-normalised exact match (correct) and token F1, the maximum
 * over the gold aliases.
 */
export async function checkAnswer(options: CheckAnswerOptions): Promise<AnswerCheck> {
  const extracted = predictedAnswer(options.trajectory);
  const extractedAnswer = extracted === null || extracted.trim() === '' ? null : extracted.trim();
  if (options.kind === 'qa') {
    if (extractedAnswer === null) return { correct: false, extractedAnswer, em: 0, f1: 0 };
    const em = qaExactMatch(extractedAnswer, options.goldAnswers) ? 1 : 0;
    return {
      correct: em === 1,
      extractedAnswer,
      em,
      f1: qaF1(extractedAnswer, options.goldAnswers),
    };
  }
  if (extractedAnswer === null) return { correct: false, extractedAnswer };
  const result = await verifyAnswerAsync({
    gold: options.goldAnswers.map(boxed),
    pred: boxed(extractedAnswer),
    ...(options.mathBackend === undefined ? {} : { backend: options.mathBackend }),
  });
  return { correct: result.equivalent, extractedAnswer };
}
