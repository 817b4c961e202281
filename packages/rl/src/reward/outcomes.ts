// Unchecked: the answers are strings the reward built; options are fixed here.
import {
  uncheckedQaF1 as qaF1,
  uncheckedVerifyAnswer as verifyAnswer,
} from '@autotraj/evaluator/internal';
import type { OutcomeFn, RewardItem } from './types.js';

/** The evaluator's answer-equivalence check (`verifyAnswer` in @autotraj/evaluator). */
export type VerifyAnswerFn = (args: {
  gold: string;
  pred: string;
}) => { equivalent: boolean } | Promise<{ equivalent: boolean }>;
/** The evaluator's answer F1 against several gold answers (`qaF1` in @autotraj/evaluator). */
export type QaF1Fn = (pred: string, golds: string[]) => number;

function predictionOf(item: RewardItem): string | null {
  const answer = item.trajectory.finalAnswer;
  return answer === null || answer.trim() === '' ? null : answer;
}

/**
 * Math correctness: 1 when the final answer is equivalent to any gold answer, else 0.
 * Default verifier: `verifyAnswer` from @autotraj/evaluator (Math-Verify style equivalence).
 */
export function mathOutcome(options: { verify?: VerifyAnswerFn } = {}): OutcomeFn {
  const verify: VerifyAnswerFn = options.verify ?? ((args) => verifyAnswer(args));
  return async (item) => {
    const pred = predictionOf(item);
    if (pred === null) return 0;
    for (const gold of item.goldAnswers ?? []) {
      if ((await verify({ gold, pred })).equivalent) return 1;
    }
    return 0;
  };
}

/** QA: token F1 of the final answer against the best-matching gold answer (0 without an answer). Default: evaluator's `qaF1`. */
export function qaF1Outcome(options: { f1?: QaF1Fn } = {}): OutcomeFn {
  const f1 = options.f1 ?? qaF1;
  return (item) => {
    const pred = predictionOf(item);
    const golds = [...(item.goldAnswers ?? [])];
    if (pred === null || golds.length === 0) return 0;
    return f1(pred, golds);
  };
}

/** Data sources scored by answer F1 (the paper's QA benchmarks); everything else is math. */
export const qaDataSources: ReadonlySet<string> = new Set([
  'hotpotqa',
  '2wiki',
  '2wikimultihopqa',
  'musique',
  'hle',
  'nq',
  'triviaqa',
  'popqa',
  'bamboogle',
]);

/** Pick the outcome by `dataSource`: QA sources by F1, the rest by math equivalence (evaluator defaults). */
export function outcomeByDataSource(
  options: { math?: OutcomeFn; qa?: OutcomeFn; qaSources?: ReadonlySet<string> } = {},
): OutcomeFn {
  const qaSources = options.qaSources ?? qaDataSources;
  const math = options.math ?? mathOutcome();
  const qa = options.qa ?? qaF1Outcome();
  return (item) => {
    const source = (item.dataSource ?? '').toLowerCase();
    // `hotpotqa_dev`, `musique-ans`: match on the prefix before a separator too.
    const base = source.split(/[_\-/:]/)[0] ?? source;
    return qaSources.has(source) || qaSources.has(base) ? qa(item) : math(item);
  };
}
