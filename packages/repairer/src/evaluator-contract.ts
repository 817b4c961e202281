import type { Task, Trajectory } from '@autotraj/trajectory';

/**
 * The evaluator as the repairer needs it: structural, so `createEvaluator()` from
 * `@autotraj/evaluator` or any object of this shape works.
 */
export interface EvaluationDiagnostic {
  stepIndex: number | null;
  code: string;
  message: string;
}

export interface EvaluationReportLike {
  trajectoryId: string;
  /** Answer correctness; null when the task has no gold answer. */
  correct: boolean | null;
  /** Overall quality in [0, 1] (the paper: 0.4 confidence + 0.3 length + 0.3 repetition). */
  quality: number;
  dimensions?: unknown;
  diagnostics: ReadonlyArray<EvaluationDiagnostic>;
}

export type SelectionAction = 'keep' | 'repair' | 'discard';

export interface SelectionDecision {
  trajectoryId: string;
  action: SelectionAction;
  reason: string;
}

export interface EvaluatorLike {
  /** The evaluator's preset, recorded in the synthesis manifest. */
  readonly preset?: string;
  evaluate(input: {
    task: Task;
    trajectory: Trajectory;
    group?: ReadonlyArray<Trajectory>;
  }): EvaluationReportLike | Promise<EvaluationReportLike>;
  evaluateGroup(input: {
    task: Task;
    candidates: ReadonlyArray<Trajectory>;
  }):
    | { reports: EvaluationReportLike[]; decisions: SelectionDecision[] }
    | Promise<{ reports: EvaluationReportLike[]; decisions: SelectionDecision[] }>;
  /** The evaluator's own acceptance rule, used when the repairer's `acceptance` is `'evaluator'`. */
  acceptRepair?(input: {
    original: EvaluationReportLike;
    repaired: EvaluationReportLike;
    [key: string]: unknown;
  }): unknown;
}
