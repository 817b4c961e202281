import { pySplit, pyStrip } from '@autotraj/evaluator/internal';
import { paperNormalizeRewardAnswer, tokenListF1 } from '@autotraj/evaluator/paper';
import { paperValidateFormat } from '@autotraj/trajectory';

/** ChatML's assistant header: verl decodes prompt + response, the paper splits on it. */
export const PAPER_ASSISTANT_MARK = '<|im_start|>assistant\n';
export const PAPER_EOS = '<|im_end|>';

/**
 * The response inside verl's decoded `solution_str`: the text after the first assistant header
 * up to a second one (or after `Assistant:`). Where the paper raises (no marker at all), the
 * whole string is the response.
 */
export function paperResponseOfSolution(solution: string): string {
  if (solution.includes(PAPER_ASSISTANT_MARK)) return solution.split(PAPER_ASSISTANT_MARK)[1]!;
  if (solution.includes('Assistant:')) return solution.split('Assistant:')[1]!;
  return solution;
}

/** A bare policy response as verl would cut it out of prompt + response: up to a second header. */
export function paperResponseOfBare(response: string): string {
  return response.split(PAPER_ASSISTANT_MARK)[0]!;
}

/** The first `<answer>...</answer>` content of the stripped text, or null. */
export function paperFirstAnswer(text: string): string | null {
  const match = /<answer>([\s\S]*?)<\/answer>/.exec(pyStrip(text));
  return match ? match[1]! : null;
}

/** `last_boxed_only_string`: a `\boxed ` anywhere wins; else the last `\boxed` (or `\fbox`), brace-matched. */
export function paperLastBoxed(text: string): string | null {
  if (text.includes('\\boxed ')) {
    const pieces = text.split('\\boxed ');
    return `\\boxed ${pieces[pieces.length - 1]!.split('$')[0]!}`;
  }
  let idx = text.lastIndexOf('\\boxed');
  if (idx < 0) {
    idx = text.lastIndexOf('\\fbox');
    if (idx < 0) return null;
  }
  let depth = 0;
  for (let i = idx; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}') {
      depth--;
      if (depth === 0) return text.slice(idx, i + 1);
    }
  }
  return null;
}

/** `remove_boxed`; null where the paper's asserts fail (e.g. `\fbox{..}`). */
export function paperRemoveBoxed(boxed: string): string | null {
  if (boxed.includes('\\boxed ')) return boxed.startsWith('\\boxed ') ? boxed.slice(7) : null;
  if (!boxed.startsWith('\\boxed{') || !boxed.endsWith('}')) return null;
  return boxed.slice(7, -1);
}

export type PaperAnswerProblem = 'no-answer' | 'no-box';

/**
 * The answer the paper rewards: the last box inside the FIRST `<answer>` of the response (the
 * end-of-turn token removed first); `problem` says why there is none (the paper then gives -1).
 */
export function paperRewardAnswer(response: string): {
  answer: string | null;
  problem: PaperAnswerProblem | null;
} {
  const text = response.endsWith(PAPER_EOS) ? response.slice(0, -PAPER_EOS.length) : response;
  const block = paperFirstAnswer(text);
  if (block === null) return { answer: null, problem: 'no-answer' };
  const boxed = paperLastBoxed(block);
  const answer = boxed === null ? null : paperRemoveBoxed(boxed);
  return answer === null ? { answer: null, problem: 'no-box' } : { answer, problem: null };
}

const EXACT_ONLY = new Set(['yes', 'no', 'noanswer']);

/** re_search.get_f1_score: best SQuAD token F1 over the golds; yes/no/noanswer must match exactly. */
export function paperRewardF1(prediction: string, golds: string | ReadonlyArray<string>): number {
  let best = 0;
  for (const gold of typeof golds === 'string' ? [golds] : golds) {
    const p = paperNormalizeRewardAnswer(prediction);
    const g = paperNormalizeRewardAnswer(gold);
    if ((EXACT_ONLY.has(p) || EXACT_ONLY.has(g)) && p !== g) continue;
    best = Math.max(tokenListF1(pySplit(p), pySplit(g)), best);
  }
  return best;
}

export interface PaperComputeScore {
  score: number;
  formatOk: boolean;
  /** Why the score is -1, in the paper's words; null otherwise. */
  problem: string | null;
  answer: string | null;
  f1: number;
}

/**
 * re_search.compute_score on a response (use `paperResponseOfSolution` for verl's prompt +
 * response): format -> -1; no answer / box -> -1; else F1 (every data source) plus 0.2 x RM when
 * F1 > 0, clipped to [-3, 3], never below F1.
 */
export function paperComputeScore(
  response: string,
  golds: string | ReadonlyArray<string>,
  rmScore = 0,
): PaperComputeScore {
  const format = paperValidateFormat(response);
  if (!format.ok)
    return {
      score: -1,
      formatOk: false,
      problem: `search bad format: ${format.reason}`,
      answer: null,
      f1: 0,
    };
  const { answer, problem } = paperRewardAnswer(response);
  if (answer === null)
    return {
      score: -1,
      formatOk: true,
      problem: problem === 'no-answer' ? 'cannot extract answer' : 'find box error',
      answer: null,
      f1: 0,
    };
  const f1 = paperRewardF1(answer, golds);
  let final = f1;
  if (f1 > 0) final += 0.2 * rmScore;
  final = Math.max(Math.min(final, 3), -3);
  final = Math.max(f1, final);
  return { score: final, formatOk: true, problem: null, answer, f1 };
}
