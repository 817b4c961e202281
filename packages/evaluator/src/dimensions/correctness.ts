import type { Task, Trajectory } from '@autotraj/trajectory';
import { EvaluatorError } from '../errors.js';
import type { AnswerBackend } from '../verify/math-verify-backend.js';
import { qaExactMatch, qaF1 } from '../verify/qa.js';
import {
  type VerifyAnswerOptions,
  type VerifyAnswerResult,
  verifyAnswer,
  verifyAnswerAsync,
} from '../verify/verify-answer.js';
import type { Diagnostic, DimensionResult } from './types.js';

export type AnswerKind = 'math' | 'qa';

export interface CorrectnessOptions extends Omit<VerifyAnswerOptions, 'gold' | 'pred'> {
  /** How answers are compared. `auto` (default): QA for QA data sources (HotpotQA, 2Wiki, MuSiQue, NQ, ...), math otherwise. */
  answerKind?: AnswerKind | 'auto';
  /**
   * Decide math answers with this backend instead of the built-in verifier, e.g.
   * `createMathVerifyBackend()` for Math-Verify's exact verdicts. Asynchronous: only
   * `evaluate` / `evaluateGroup` (and `correctnessDimensionAsync`) can use it.
   */
  backend?: AnswerBackend;
}

const QA_SOURCES =
  /hotpot|2wiki|wikimultihop|musique|natural.?questions|^nq$|trivia|bamboogle|popqa|hle|squad|\bqa\b/i;

export function answerKindOf(
  task: Pick<Task, 'dataSource'>,
  option: CorrectnessOptions['answerKind'] = 'auto',
): AnswerKind {
  if (option !== 'auto') return option;
  return QA_SOURCES.test(task.dataSource) ? 'qa' : 'math';
}

/**
 * The trajectory's answer: the extracted final answer, else an answer step's `answer`, else
 * (ToRA's convention for solutions that end in prose without `\boxed{}`) the last tool
 * output when it is short, else the answer step's text.
 */
export function predictedAnswer(
  trajectory: Pick<Trajectory, 'steps' | 'finalAnswer'>,
): string | null {
  if (trajectory.finalAnswer !== null && trajectory.finalAnswer.trim() !== '')
    return trajectory.finalAnswer;
  let answerText: string | null = null;
  let lastOutput: string | null = null;
  for (let i = trajectory.steps.length - 1; i >= 0; i--) {
    const step = trajectory.steps[i]!;
    if (step.type === 'answer' && answerText === null) {
      if (step.answer !== undefined && step.answer.trim() !== '') return step.answer;
      answerText = step.text;
    } else if (step.type === 'tool-result' && lastOutput === null && !step.isError) {
      lastOutput = step.output.trim();
    }
  }
  if (
    lastOutput !== null &&
    lastOutput !== '' &&
    lastOutput.length <= 64 &&
    !lastOutput.includes('\n')
  )
    return lastOutput;
  return answerText;
}

export interface CorrectnessOutcome {
  /** null when the task has no gold answer. */
  correct: boolean | null;
  dimension: DimensionResult | null;
}

/**
 * Correctness against the task's gold answers: Math-Verify-style equivalence for math (score
 * 0/1), SQuAD token F1 for QA (score = F1, correct = normalised exact match).
 */
export function correctnessDimension(
  task: Task,
  trajectory: Pick<Trajectory, 'steps' | 'finalAnswer'>,
  options: CorrectnessOptions = {},
): CorrectnessOutcome {
  if (task.goldAnswers.length === 0) return { correct: null, dimension: null };
  const pred = predictedAnswer(trajectory);
  if (pred === null) {
    return {
      correct: false,
      dimension: {
        score: 0,
        diagnostics: [
          {
            stepIndex: null,
            code: 'correctness/no-answer',
            message: 'the trajectory gives no final answer',
          },
        ],
      },
    };
  }
  const diagnostics: Diagnostic[] = [];
  if (answerKindOf(task, options.answerKind) === 'qa') {
    const f1 = qaF1(pred, task.goldAnswers);
    const correct = qaExactMatch(pred, task.goldAnswers);
    if (!correct)
      diagnostics.push({
        stepIndex: null,
        code: 'correctness/qa-mismatch',
        message: `"${pred}" does not match ${JSON.stringify(task.goldAnswers)} (F1 ${f1.toFixed(2)})`,
      });
    return { correct, dimension: { score: f1, diagnostics } };
  }
  if (options.backend !== undefined)
    throw new EvaluatorError({
      code: 'async_backend',
      message: `the ${options.backend.name} backend is asynchronous: use evaluate / evaluateGroup, not evaluateSync`,
    });
  const { answerKind: _kind, backend: _backend, ...verifyOptions } = options;
  return mathOutcome(pred, verifyAnswer({ ...verifyOptions, gold: task.goldAnswers, pred }));
}

/** `correctnessDimension` that may use an asynchronous backend (`options.backend`). */
export async function correctnessDimensionAsync(
  task: Task,
  trajectory: Pick<Trajectory, 'steps' | 'finalAnswer'>,
  options: CorrectnessOptions = {},
): Promise<CorrectnessOutcome> {
  const { backend, ...rest } = options;
  const pred = predictedAnswer(trajectory);
  if (
    backend === undefined ||
    task.goldAnswers.length === 0 ||
    pred === null ||
    answerKindOf(task, options.answerKind) === 'qa'
  )
    return correctnessDimension(task, trajectory, rest);
  const { answerKind: _kind, ...verifyOptions } = rest;
  return mathOutcome(
    pred,
    await verifyAnswerAsync({ ...verifyOptions, gold: task.goldAnswers, pred, backend }),
  );
}

function mathOutcome(pred: string, result: VerifyAnswerResult): CorrectnessOutcome {
  const diagnostics: Diagnostic[] = [];
  if (result.timedOut)
    diagnostics.push({
      stepIndex: null,
      code: 'correctness/timeout',
      message: 'the answer comparison hit its deadline',
    });
  if (!result.equivalent) {
    diagnostics.push({
      stepIndex: null,
      code: 'correctness/wrong-answer',
      message: `answer ${JSON.stringify(result.extractedPred[0] ?? pred)} is not equivalent to ${JSON.stringify(result.extractedGold)}`,
    });
  }
  return {
    correct: result.equivalent,
    dimension: { score: result.equivalent ? 1 : 0, diagnostics },
  };
}
