import { z } from 'zod';
import type { Task } from '../schemas/task.js';
import type { Trajectory } from '../schemas/trajectory.js';
import { diagnosticSchema } from './diagnostic.js';

/** One dimension's verdict: a score in [0, 1] and what it found. */
export const dimensionScoreSchema = z.object({
  score: z.number().min(0).max(1),
  diagnostics: z.array(diagnosticSchema).default([]),
});
export type DimensionScore = z.infer<typeof dimensionScoreSchema>;

/** Everything an evaluator says about one trajectory. */
export const evaluationReportSchema = z.object({
  trajectoryId: z.string(),
  /** Answer correctness; null when the task has no gold answer. */
  correct: z.boolean().nullable(),
  /** Weighted quality in [0, 1] (the preset's formula). */
  quality: z.number(),
  dimensions: z.record(z.string(), dimensionScoreSchema),
  /** All dimensions' diagnostics, flattened. */
  diagnostics: z.array(diagnosticSchema),
});
export type EvaluationReport = z.infer<typeof evaluationReportSchema>;

/** What selection does with a candidate. */
export const selectionActionSchema = z.enum(['keep', 'repair', 'discard']);
export type SelectionAction = z.infer<typeof selectionActionSchema>;

export const selectionDecisionSchema = z.object({
  trajectoryId: z.string(),
  action: selectionActionSchema,
  reason: z.string(),
});
export type SelectionDecision = z.infer<typeof selectionDecisionSchema>;

export const groupEvaluationSchema = z.object({
  reports: z.array(evaluationReportSchema),
  decisions: z.array(selectionDecisionSchema),
});
export type GroupEvaluation = z.infer<typeof groupEvaluationSchema>;

/** The input of `Evaluator.evaluate`: `group` (candidates for the same query) sets the length reference. */
export interface EvaluateInput {
  task: Task;
  trajectory: Trajectory;
  group?: ReadonlyArray<Trajectory>;
}

export interface EvaluateGroupInput {
  task: Task;
  candidates: ReadonlyArray<Trajectory>;
}

/** What a repair is judged on: both reports, and the trajectories for rules that need lengths. */
export interface AcceptRepairRequest {
  original: EvaluationReport;
  repaired: EvaluationReport;
  [key: string]: unknown;
}

/**
 * The evaluator contract every stage relies on (`createEvaluator()` in @autotraj/evaluator
 * implements it; so can your own). Selection and repair only need these methods.
 */
export interface Evaluator {
  evaluate(input: EvaluateInput): EvaluationReport | Promise<EvaluationReport>;
  /** Score every candidate for one query and decide keep / repair / discard for each. */
  evaluateGroup(input: EvaluateGroupInput): GroupEvaluation | Promise<GroupEvaluation>;
  /** The evaluator's own repair acceptance rule, used when a repairer's `acceptance` is `'evaluator'`. */
  acceptRepair?(input: AcceptRepairRequest): unknown;
}
