import { z } from 'zod';

const heldOutSchema = z.looseObject({
  pairs: z.number().int().nonnegative(),
  pairwiseAccuracy: z.number(),
  rocAuc: z.number().optional(),
  /** The accuracy of "the longer (or shorter) trajectory wins" on the same held-out pairs. */
  lengthBaselineAccuracy: z.number(),
});

/**
 * `training-report.json` of a reward model (`autotraj train-rm`, the second stage of `autotraj
 * run`): the data it saw, how training went, and held-out figures when pairs were held out.
 * Loose: the transformer reward model adds its own fields.
 */
export const rewardModelTrainingReportSchema = z.looseObject({
  featurizerVersion: z.string().optional(),
  configHash: z.string().optional(),
  seed: z.number().int().optional(),
  /** The n-gram model's data figures (the transformer model reports `trainPairs` at the top). */
  data: z
    .looseObject({
      /** Preference pairs given (the run checks the model is current against the pairs on disk). */
      pairs: z.number().int().nonnegative(),
      trainPairs: z.number().int().nonnegative().optional(),
      validationPairs: z.number().int().nonnegative().optional(),
    })
    .optional(),
  trainPairs: z.number().int().nonnegative().optional(),
  trainAccuracy: z.number().optional(),
  validationAccuracy: z.number().nullable().optional(),
  heldOut: heldOutSchema.nullable().optional(),
  model: z.looseObject({ path: z.string(), bytes: z.number().optional() }).optional(),
});
export type RewardModelTrainingReport = z.infer<typeof rewardModelTrainingReportSchema>;

/** Whether a `training-report.json` is train-sft's (a method and a loss curve) rather than a reward model's. */
export function isSftTrainingReport(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { losses?: unknown }).losses) &&
    typeof (value as { method?: unknown }).method === 'string'
  );
}
