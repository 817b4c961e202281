import { PAPER_THRESHOLDS, type Thresholds } from '../evaluate/presets.js';
import { type PaperTaskType, paperIsCorrect } from './correctness.js';
import { pyRound } from './python-text.js';
import { type PaperScoreParts, paperScoreParts, paperWordCount } from './quality.js';

export interface PaperItemScore extends PaperScoreParts {
  /** `round(score, 4)`: what the paper stores and compares with the thresholds. */
  stored: number;
  decision: 'high' | 'low';
}

/**
 * traj_score.process_dataset for one item (a group of answer-correct texts): ideal length = the
 * shortest, rounded scores against the thresholds, the best by a stable sort (first of equals).
 */
export function paperSelectItem(
  texts: ReadonlyArray<string>,
  thresholds: Pick<Thresholds, 'keepAll' | 'keepBest'> = PAPER_THRESHOLDS,
): PaperItemScore[] {
  if (texts.length === 0) return [];
  const idealLength = Math.min(...texts.map(paperWordCount));
  const out: PaperItemScore[] = texts.map((text) => {
    const parts = paperScoreParts(text, idealLength);
    return { ...parts, stored: pyRound(parts.score, 4), decision: 'low' };
  });
  if (Math.min(...out.map((o) => o.stored)) >= thresholds.keepAll) {
    for (const o of out) o.decision = 'high';
    return out;
  }
  let best = 0;
  for (let i = 1; i < out.length; i++) if (out[i]!.stored > out[best]!.stored) best = i;
  if (out[best]!.stored >= thresholds.keepBest) out[best]!.decision = 'high';
  return out;
}

/**
 * answer_filter_both.classify_trajectories for one question: an all-correct question is one
 * item; a partly correct one becomes one single-trajectory item per trajectory.
 */
export function paperClassify(correct: ReadonlyArray<boolean>): {
  correctItems: number[][];
  wrongItems: number[][];
} {
  const indices = correct.map((_, i) => i);
  if (correct.every(Boolean)) return { correctItems: [indices], wrongItems: [] };
  if (!correct.some(Boolean)) return { correctItems: [], wrongItems: [indices] };
  return {
    correctItems: indices.filter((i) => correct[i]).map((i) => [i]),
    wrongItems: indices.filter((i) => !correct[i]).map((i) => [i]),
  };
}

export type PaperDecision = 'high' | 'ac_low' | 'aw_low';

export interface PaperPipelineEntry {
  correct: boolean;
  decision: PaperDecision;
  /** Quality parts; null for wrong answers (the paper never scores them). */
  parts: PaperScoreParts | null;
  stored: number | null;
  groupSize: number;
}

/** Classify, then score and select each correct item (the paper's SFT data pipeline). */
export function paperPipeline(options: {
  texts: ReadonlyArray<string>;
  /** Per text: answer-correct (default: the paper's check against `gold`). */
  correct?: ReadonlyArray<boolean>;
  gold?: string;
  taskType?: PaperTaskType;
  thresholds?: Pick<Thresholds, 'keepAll' | 'keepBest'>;
}): PaperPipelineEntry[] {
  const { texts } = options;
  const correct =
    options.correct ?? texts.map((t) => paperIsCorrect(options.gold ?? '', t, options.taskType));
  const { correctItems, wrongItems } = paperClassify(correct);
  const out = new Array<PaperPipelineEntry>(texts.length);
  for (const item of correctItems) {
    const scored = paperSelectItem(
      item.map((i) => texts[i]!),
      options.thresholds,
    );
    item.forEach((index, k) => {
      const { stored, decision, ...parts } = scored[k]!;
      out[index] = {
        correct: true,
        decision: decision === 'high' ? 'high' : 'ac_low',
        parts,
        stored,
        groupSize: item.length,
      };
    });
  }
  for (const item of wrongItems)
    for (const index of item)
      out[index] = {
        correct: false,
        decision: 'aw_low',
        parts: null,
        stored: null,
        groupSize: item.length,
      };
  return out;
}
