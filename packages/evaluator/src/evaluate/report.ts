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
