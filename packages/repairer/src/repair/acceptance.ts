import type { EvaluationReport, Evaluator } from '@autotraj/trajectory';

export interface AcceptanceThresholds {
  /** Minimum quality (exclusive) for a repair of a wrong-answer trajectory (paper: 0.8). */
  wrongAnswer: number;
  /** Minimum quality (exclusive) for a repair of a correct-but-low-quality trajectory (paper: 0.86). */
  lowQuality: number;
  /** A repair of a correct trajectory must also score above the original (paper: yes). */
  beatOriginal: boolean;
}

export interface AcceptanceVerdict {
  accepted: boolean;
  reason: string;
}

export type AcceptanceRule = (input: {
  original: EvaluationReport;
  repaired: EvaluationReport;
}) => AcceptanceVerdict;

export const PAPER_ACCEPTANCE: Readonly<AcceptanceThresholds> = {
  wrongAnswer: 0.8,
  lowQuality: 0.86,
  beatOriginal: true,
};

/**
 * The paper's acceptance rule, with configurable thresholds: the repaired answer must be
 * correct, and its quality must exceed 0.8 for wrong-answer inputs, or 0.86 and the
 * original's quality for correct-but-low-quality inputs.
 */
export function thresholdAcceptance(
  thresholds: Partial<AcceptanceThresholds> = {},
): AcceptanceRule {
  const t = { ...PAPER_ACCEPTANCE, ...thresholds };
  return ({ original, repaired }) => {
    if (repaired.correct === false) return { accepted: false, reason: 'repaired answer is wrong' };
    if (repaired.correct === null && original.correct !== null)
      return { accepted: false, reason: 'repaired answer could not be verified' };
    const q = repaired.quality.toFixed(3);
    if (original.correct === false) {
      return repaired.quality > t.wrongAnswer
        ? { accepted: true, reason: `wrong answer fixed; quality ${q} > ${t.wrongAnswer}` }
        : { accepted: false, reason: `quality ${q} <= ${t.wrongAnswer}` };
    }
    if (repaired.quality <= t.lowQuality)
      return { accepted: false, reason: `quality ${q} <= ${t.lowQuality}` };
    if (t.beatOriginal && repaired.quality <= original.quality) {
      return {
        accepted: false,
        reason: `quality ${q} does not beat the original's ${original.quality.toFixed(3)}`,
      };
    }
    return {
      accepted: true,
      reason: `quality ${q} > ${t.lowQuality}${t.beatOriginal ? ` and > original ${original.quality.toFixed(3)}` : ''}`,
    };
  };
}

/**
 * `'evaluator'` (default: the evaluator's own `acceptRepair`, or the paper's rule when it has
 * none), `'paper'` (this package's implementation of the paper's rule), thresholds, or a rule.
 */
export type AcceptanceOption =
  | 'paper'
  | 'evaluator'
  | Partial<AcceptanceThresholds>
  | AcceptanceRule;

export function resolveAcceptance(
  option: AcceptanceOption | undefined,
  evaluator: Evaluator,
): AcceptanceRule {
  if (typeof option === 'function') return option;
  if (option === 'paper') return thresholdAcceptance();
  if (option === undefined || option === 'evaluator') {
    const fallback = thresholdAcceptance();
    if (evaluator.acceptRepair === undefined) return fallback;
    return (input) => {
      const verdict = evaluator.acceptRepair!(input);
      if (typeof verdict === 'boolean')
        return {
          accepted: verdict,
          reason: verdict ? 'accepted by the evaluator' : 'rejected by the evaluator',
        };
      if (
        verdict !== null &&
        typeof verdict === 'object' &&
        typeof (verdict as { accepted?: unknown }).accepted === 'boolean'
      ) {
        const v = verdict as { accepted: boolean; reason?: unknown };
        return {
          accepted: v.accepted,
          reason:
            typeof v.reason === 'string'
              ? v.reason
              : v.accepted
                ? 'accepted by the evaluator'
                : 'rejected by the evaluator',
        };
      }
      return fallback(input);
    };
  }
  return thresholdAcceptance(option);
}
