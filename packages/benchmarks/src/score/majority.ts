import { isEquivalent, normalizeQaAnswer } from '@autotraj/evaluator';
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
 * The written form answers are first grouped by: QA answers by SQuAD normalisation; math
 * answers with spacing, `\left`/`\right`, `\!`, `\dfrac`/`\tfrac` and a trailing period
 * removed. Math answers with different keys may still vote together (see `majorityVote`).
 */
export function voteKey(answer: string, kind: BenchmarkKind): string {
  if (kind === 'qa') return normalizeQaAnswer(answer);
  return answer
    .replace(/\\left|\\right|\\!|\\,|\\;|\s+/g, '')
    .replace(/\\[dt]frac/g, '\\frac')
    .replace(/\.$/, '');
}

export interface MajorityVoteOptions {
  /**
   * Whether two answers with different vote keys are the same answer. Default: QA never; math
   * by the evaluator's verifier (`isEquivalent`: `0.5`, `\frac12` and `1/2` are one answer;
   * a symbolic comparison has its 5 s deadline).
   */
  equivalent?: ((a: string, b: string) => boolean) | undefined;
}

interface VoteGroup {
  key: string;
  first: VoteSample & { answer: string };
  votes: number;
}

/**
 * Majority vote over samples in sample order. Each answer joins the first group whose first
 * answer has its vote key or is equivalent to it, else starts a group. Ties go to the group
 * whose answer was given first, so the result depends only on the samples and their order.
 */
export function majorityVote(
  samples: ReadonlyArray<VoteSample>,
  kind: BenchmarkKind,
  options: MajorityVoteOptions = {},
): VoteResult {
  const equivalent =
    options.equivalent ?? (kind === 'math' ? (a: string, b: string) => isEquivalent(a, b) : null);
  const groups: VoteGroup[] = [];
  for (const sample of samples) {
    const answer = sample.answer;
    if (answer === null) continue;
    const key = voteKey(answer, kind);
    const group =
      groups.find((g) => g.key === key) ??
      (equivalent === null ? undefined : groups.find((g) => equivalent(g.first.answer, answer)));
    if (group === undefined) groups.push({ key, first: { ...sample, answer }, votes: 1 });
    else group.votes++;
  }
  let best: VoteGroup | undefined;
  let tie = false;
  for (const group of groups) {
    if (best === undefined || group.votes > best.votes) {
      best = group;
      tie = false;
    } else if (group.votes === best.votes) tie = true;
  }
  if (best === undefined) return { answer: null, correct: false, votes: 0, tie: false };
  return { answer: best.first.answer, correct: best.first.correct, votes: best.votes, tie };
}
