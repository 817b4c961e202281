import {
  type DroppedRecord,
  diagnosticSchema,
  droppedRecordSchema,
  preferencePairSchema,
  selectionActionSchema,
  sftRecordSchema,
  trajectorySchema,
} from '@autotraj/trajectory';
import { z } from 'zod';

/** One sampled candidate with its evaluation and the selection decision (`candidates.jsonl`). */
export const candidateRecordSchema = z.object({
  id: z.string().min(1),
  taskId: z.string().min(1),
  index: z.number().int().nonnegative(),
  trajectory: trajectorySchema,
  correct: z.boolean().nullable(),
  quality: z.number(),
  diagnostics: z.array(diagnosticSchema),
  decision: z.object({ action: selectionActionSchema, reason: z.string() }),
  /**
   * Set when the run took this candidate from an earlier run's candidates file instead of
   * sampling it (`candidates.from`): that file and line. The trajectory's own provenance (model,
   * seed, sampling) is the earlier run's, as recorded there.
   */
  takenFrom: z.object({ file: z.string().min(1), line: z.number().int().positive() }).optional(),
});

/** A trajectory the repairer could not fix (`hard.jsonl`): kept for analysis or stronger repairers. */
export const hardCaseSchema = z.object({
  id: z.string().min(1),
  taskId: z.string().min(1),
  question: z.string(),
  original: trajectorySchema,
  originalReport: z.object({
    correct: z.boolean().nullable(),
    quality: z.number(),
    diagnostics: z.array(diagnosticSchema),
  }),
  lastAttempt: trajectorySchema.nullable(),
  lastReport: z
    .object({
      correct: z.boolean().nullable(),
      quality: z.number(),
      diagnostics: z.array(diagnosticSchema),
    })
    .nullable(),
  attempts: z.number().int().nonnegative(),
  reason: z.string(),
});

// The gate's refusals (`dropped.jsonl`) have one schema, shared with train-sft and train-rm.
export { type DroppedRecord, droppedRecordSchema };

/**
 * Everything one task produced, written as ONE line of `journal.jsonl` before any of it goes
 * to the output files: the unit of resumption. A task is done once its journal line is
 * complete; a rerun rewrites whatever of a done task's records a kill left unwritten.
 */
export const journalEntrySchema = z.object({
  id: z.string().min(1),
  taskId: z.string().min(1),
  candidates: z.array(candidateRecordSchema),
  sft: z.array(sftRecordSchema),
  pairs: z.array(preferencePairSchema),
  hard: z.array(hardCaseSchema),
  /** Journals written before the admission gate have none. */
  dropped: z.array(droppedRecordSchema).default([]),
  stats: z.object({
    modelCalls: z.number(),
    modelMs: z.number(),
    toolCalls: z.number(),
    toolMs: z.number(),
    evaluationMs: z.number(),
    trajectories: z.number(),
    discarded: z.number(),
    /** Kept candidates the gate refused that went to the repairer (`repairRefused`). */
    refusedKeptRepairs: z.number().default(0),
  }),
});

export type CandidateRecord = z.infer<typeof candidateRecordSchema>;
export type HardCase = z.infer<typeof hardCaseSchema>;
export type JournalEntry = z.infer<typeof journalEntrySchema>;
