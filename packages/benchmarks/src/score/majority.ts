import { normalizeQaAnswer } from '@autotraj/evaluator';
import type { BenchmarkKind } from '../registry.js';

export interface VoteSample {
  /** The extracted answer; null (no answer) does not vote. */
  answer: string | null;
  correct: boolean;
}

export interface VoteResult {
  /** The winning answer as the first sample that gave it wrote it; null when nobody answered. */
  answer: string | null;
  /** Whether the winning answer was judged correct (its first sample's verdict). */
  correct: boolean;
  votes: number;
  /** Another answer had as many votes; the one given first (lowest sample index) won. */
  tie: boolean;
}

/**
 * The key answers are grouped by: QA answers by SQuAD normalisation; math answers with
 * spacing, `\left`/`\right`, `\!`, `\dfrac`/`\tfrac` and a trailing period removed. Answers
 * that are equivalent but written differently (`0.5` and `\frac12`) count as different votes.
 */
export function voteKey(answer: string, kind: BenchmarkKind): string {
  if (kind === 'qa') return normalizeQaAnswer(answer);
  return answer
    .replace(/\\left|\\right|\\!|\\,|\\;|\s+/g, '')
    .replace(/\\[dt]frac/g, '\\frac')
    .replace(/\.$/, '');
}

/**
 * Majority vote over samples in sample order. Ties go to the answer given first, so the
 * result does not depend on anything but the samples and their order.
 */
export function majorityVote(samples: ReadonlyArray<VoteSample>, kind: BenchmarkKind): VoteResult {
  const groups = new Map<string, { first: VoteSample; votes: number; order: number }>();
  samples.forEach((sample, order) => {
    if (sample.answer === null) return;
    const key = voteKey(sample.answer, kind);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { first: sample, votes: 1, order });
    else group.votes++;
  });
  let best: { first: VoteSample; votes: number; order: number } | undefined;
  let tie = false;
  for (const group of groups.values()) {
    if (best === undefined || group.votes > best.votes) {
      best = group;
      tie = false;
    } else if (group.votes === best.votes) tie = true;
  }
  if (best === undefined) return { answer: null, correct: false, votes: 0, tie: false };
  return { answer: best.first.answer, correct: best.first.correct, votes: best.votes, tie };
}
