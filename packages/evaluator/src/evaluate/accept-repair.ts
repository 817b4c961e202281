import { PAPER_THRESHOLDS, type Thresholds } from './presets.js';
import type { EvaluationReport } from './report.js';

/** A report as acceptance reads it; the paper preset also uses words, C, E and the stored score. */
export type AcceptRepairReport = Pick<EvaluationReport, 'correct' | 'quality'> &
  Partial<Pick<EvaluationReport, 'words' | 'paper'>> & {
    /** Dimension results by name (`EvaluationReport.dimensions`); read loosely. */
    dimensions?: unknown;
  };

export interface AcceptRepairInput {
  original: AcceptRepairReport;
  repaired: AcceptRepairReport;
  /** Why the original went to repair; derived from `original.correct` when omitted. */
  reason?: 'wrong-answer' | 'low-quality';
  thresholds?: Partial<Thresholds>;
}

export interface AcceptRepairDecision {
  accepted: boolean;
  reason: string;
  threshold: number;
}

/**
 * The `autotraj` acceptance rule (the paper's thresholds on unrounded qualities from the whole
 * group's length reference; the `paper` preset uses `paperAcceptRepair`): a repair is accepted when its answer is correct and its
 * quality exceeds 0.86 and the original's (correct-but-low-quality input), or 0.8 (wrong-answer
 * input). Anything else is a hard case.
 */
export function acceptRepair(input: AcceptRepairInput): AcceptRepairDecision {
  const thresholds = { ...PAPER_THRESHOLDS, ...input.thresholds };
  const kind = input.reason ?? (input.original.correct === false ? 'wrong-answer' : 'low-quality');
  const threshold =
    kind === 'wrong-answer' ? thresholds.acceptWrongAnswer : thresholds.acceptLowQuality;
  const quality = input.repaired.quality.toFixed(3);
  if (input.repaired.correct !== true) {
    return {
      accepted: false,
      reason:
        input.repaired.correct === null
          ? 'repaired answer cannot be checked (no gold)'
          : 'repaired answer is wrong',
      threshold,
    };
  }
  if (!(input.repaired.quality > threshold))
    return {
      accepted: false,
      reason: `repaired quality ${quality} is not above ${threshold}`,
      threshold,
    };
  if (kind === 'low-quality' && !(input.repaired.quality > input.original.quality)) {
    return {
      accepted: false,
      reason: `repaired quality ${quality} does not beat the original ${input.original.quality.toFixed(3)}`,
      threshold,
    };
  }
  return {
    accepted: true,
    reason: `${kind} repaired: correct, quality ${quality} > ${threshold}`,
    threshold,
  };
}
