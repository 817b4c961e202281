import { PAPER_THRESHOLDS, type Thresholds } from '../evaluate/presets.js';
import { pyFloat, pyStrip } from './python-text.js';
import { paperScore, paperWordCount } from './quality.js';

/** The last `{...}` on one line anywhere in the text (no DOTALL), stripped; else the text stripped. */
function lastBraced(text: string): string {
  let last: string | null = null;
  for (const match of text.matchAll(/\{([^\n]*?)\}/g)) last = match[1]!;
  return pyStrip(last ?? text);
}

/**
 * traj_utils.is_answer_correct, the repair scripts' check on the whole repaired text: the last
 * `{...}` of each side as a number after dropping everything but digits, `.` and `-`; when
 * either is not a number, equal strings or the prediction a substring of the gold.
 */
export function paperRepairAnswerCorrect(gold: string, text: string): boolean {
  const g = lastBraced(gold);
  const t = lastBraced(text);
  const gn = pyFloat(g.replace(/[^\p{Nd}.-]/gu, ''));
  const tn = gn === null ? null : pyFloat(t.replace(/[^\p{Nd}.-]/gu, ''));
  if (gn !== null && tn !== null) return Math.abs(gn - tn) < 1e-6;
  return g === t || g.includes(t);
}

export interface PaperRepairAcceptance {
  accepted: boolean;
  correct: boolean;
  score: number;
  idealLength: number;
}

/**
 * Correct-answer repair: accepted iff correct, score > 0.86 and > the original's stored (rounded)
 * score, with ideal length = min(original, repaired).
 */
export function paperAcceptCorrectAnswerRepair(input: {
  gold: string;
  original: string;
  /** The original's `round(score, 4)` as the selection stored it. */
  originalStored: number;
  repaired: string;
  thresholds?: Pick<Thresholds, 'acceptLowQuality'>;
}): PaperRepairAcceptance {
  const threshold = (input.thresholds ?? PAPER_THRESHOLDS).acceptLowQuality;
  const correct = paperRepairAnswerCorrect(input.gold, input.repaired);
  const idealLength = Math.min(paperWordCount(input.original), paperWordCount(input.repaired));
  const score = paperScore(input.repaired, idealLength);
  return {
    accepted: correct && score > threshold && score > input.originalStored,
    correct,
    score,
    idealLength,
  };
}

/** Wrong-answer repair: accepted iff correct and score > 0.8, with L = 1 (its own length). */
export function paperAcceptWrongAnswerRepair(input: {
  gold: string;
  repaired: string;
  thresholds?: Pick<Thresholds, 'acceptWrongAnswer'>;
}): PaperRepairAcceptance {
  const threshold = (input.thresholds ?? PAPER_THRESHOLDS).acceptWrongAnswer;
  const correct = paperRepairAnswerCorrect(input.gold, input.repaired);
  const idealLength = paperWordCount(input.repaired);
  const score = paperScore(input.repaired, idealLength);
  return { accepted: correct && score > threshold, correct, score, idealLength };
}
