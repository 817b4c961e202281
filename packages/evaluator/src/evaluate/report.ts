import type { Diagnostic, DimensionResult } from '../dimensions/types.js';

/** Everything the evaluator says about one trajectory. */
export interface EvaluationReport {
  trajectoryId: string;
  /** Answer correctness; null when the task has no gold answer. */
  correct: boolean | null;
  /** Weighted quality in [0, 1] (the preset's formula). */
  quality: number;
  dimensions: Record<string, DimensionResult>;
  /** All dimensions' diagnostics, flattened. */
  diagnostics: Diagnostic[];
  /** Word count of the scored text (Python `str.split()` words under the paper preset). */
  words?: number;
  /** The length reference L was computed against (the paper's `ideal_len`). */
  idealLength?: number;
  /** What only the paper preset records. */
  paper?: PaperReportFacts;
}

export interface PaperReportFacts {
  /** `round(quality, 4)` as the paper stores and compares it; null for wrong answers (never scored). */
  stored: number | null;
  /** The repair scripts' looser `is_answer_correct` on the whole text; null without gold. */
  looseCorrect: boolean | null;
}

export type SelectionAction = 'keep' | 'repair' | 'discard';

export interface SelectionDecision {
  trajectoryId: string;
  action: SelectionAction;
  reason: string;
}

export interface GroupEvaluation {
  reports: EvaluationReport[];
  decisions: SelectionDecision[];
}
