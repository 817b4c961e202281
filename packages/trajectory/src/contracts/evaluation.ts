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

/** What only the paper preset records. */
export const paperReportFactsSchema = z.object({
  /** `round(quality, 4)` as the paper stores and compares it; null for wrong answers (never scored). */
  stored: z.number().nullable(),
  /** The repair scripts' looser `is_answer_correct` on the whole text; null without gold. */
  looseCorrect: z.boolean().nullable(),
});
export type PaperReportFacts = z.infer<typeof paperReportFactsSchema>;

/** Everything an evaluator says about one trajectory. */
export const evaluationReportSchema = z.object({
  trajectoryId: z.string(),
  /** Answer correctness; null when the task has no gold answer. */
  correct: z.boolean().nullable(),
  /** Weighted quality in [0, 1] (the preset's formula). */
  quality: z.number(),
  dimensions: z.record(z.string(), dimensionScoreSchema),
  /** All dimensions' diagnostics, flattened, plus findings no computed dimension scores (reported only). */
  diagnostics: z.array(diagnosticSchema),
  /** Word count of the scored text (Python `str.split()` words under the paper preset). */
  words: z.number().int().nonnegative().optional(),
  /** The length reference L was computed against (the paper's `ideal_len`). */
  idealLength: z.number().optional(),
  paper: paperReportFactsSchema.optional(),
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
  /** The evaluator's preset, recorded in synthesis manifests. */
  readonly preset?: string;
  evaluate(input: EvaluateInput): EvaluationReport | Promise<EvaluationReport>;
  /** Score every candidate for one query and decide keep / repair / discard for each. */
  evaluateGroup(input: EvaluateGroupInput): GroupEvaluation | Promise<GroupEvaluation>;
  /** The evaluator's own repair acceptance rule, used when a repairer's `acceptance` is `'evaluator'`. */
  acceptRepair?(input: AcceptRepairRequest): unknown;
}
