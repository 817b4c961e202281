// The evaluation contracts live once, in @autotraj/trajectory; this package implements them.
export type {
  EvaluationReport,
  GroupEvaluation,
  SelectionAction,
  SelectionDecision,
} from '@autotraj/trajectory';
