import { z } from 'zod';

// The report itself (`sftTrainingReportSchema`) is a run file: it lives with the run directory
// in @autotraj/trajectory.

/** A progress line of the trainer. */
export const sftProgressSchema = z.object({
  step: z.number().int(),
  totalSteps: z.number().int(),
  epoch: z.number(),
  loss: z.number(),
  tokensPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  /** Training wall time so far, over the runs a resumed training continues. */
  trainSeconds: z.number().nonnegative().optional(),
});
export type SftProgress = z.infer<typeof sftProgressSchema>;
