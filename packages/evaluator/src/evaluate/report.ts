// The evaluation contracts live once, in @autotraj/trajectory; this package implements them.
export type {
  EvaluationReport,
  GroupEvaluation,
  PaperReportFacts,
  SelectionAction,
  SelectionDecision,
} from '@autotraj/trajectory';
