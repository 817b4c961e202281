import { z } from 'zod';
import { admissionTallySchema } from '../admission/admit-records.js';

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
  /** The admission gate over the pairs read (`dropped.jsonl` beside it); absent before the gate. */
  admission: admissionTallySchema.optional(),
});
export type RewardModelTrainingReport = z.infer<typeof rewardModelTrainingReportSchema>;

/** One logged optimizer step of `train-sft`. */
export const sftLossPointSchema = z.object({
  step: z.number().int().positive(),
  epoch: z.number().nonnegative(),
  loss: z.number(),
  /**
   * Training wall time up to this step, summed over the runs that trained it (a resumed run
   * carries the time of the steps its checkpoint holds). Absent in reports written before it.
   */
  trainSeconds: z.number().nonnegative().optional(),
});

/** `training-report.json` of `autotraj train-sft` (`trainSft`): what was trained, how, and the loss curve. */
export const sftTrainingReportSchema = z.object({
  /** The base model: a GGUF file (loaded dequantized) or a Hugging Face directory. */
  base: z.string(),
  baseKind: z.enum(['gguf', 'hf']),
  method: z.enum(['lora', 'full']),
  lora: z
    .object({ r: z.number(), alpha: z.number(), dropout: z.number(), targetModules: z.string() })
    .nullable(),
  /** SFT rows given, and how many were trained on. */
  rows: z.number().int().nonnegative(),
  trainedRows: z.number().int().nonnegative(),
  /** Records left out as exact copies of an earlier one (same prompt, completion and mask), by place. */
  duplicateRecords: z.array(z.string()).default([]),
  /**
   * Records read, the origin filter (null: all) and how many it left out. Absent in reports
   * written before it was recorded.
   */
  selection: z
    .object({
      records: z.number().int().nonnegative(),
      origin: z.enum(['kept', 'repaired']).nullable(),
      removedByOrigin: z.number().int().nonnegative(),
    })
    .optional(),
  /**
   * The admission gate over the records the origin filter passed: the refused ones are in
   * `dropped.jsonl` beside the report, not trained on. Absent in reports written before the gate.
   */
  admission: admissionTallySchema.optional(),
  /** 1-based rows left out because they are longer than `maxLength` tokens (never cut). */
  tooLongRows: z.array(z.number().int().positive()),
  maxLength: z.number().int().positive(),
  /** Tokens of the trained rows, and those in the loss (what the model wrote). */
  tokens: z.number().int().nonnegative(),
  trainedTokens: z.number().int().nonnegative(),
  epochs: z.number().positive(),
  steps: z.number().int().nonnegative(),
  batchSize: z.number().int().positive(),
  gradientAccumulation: z.number().int().positive(),
  learningRate: z.number().positive(),
  seed: z.number().int(),
  device: z.enum(['cpu', 'cuda']),
  /** The checkpoint this run resumed from, if any. */
  resumedFrom: z.string().nullable(),
  /** Every logged step, including those of the runs this one resumed. */
  losses: z.array(sftLossPointSchema),
  finalLoss: z.number().nullable(),
  loadSeconds: z.number().nonnegative(),
  /**
   * Training wall time of every step, over all the runs that trained them: a resumed training
   * reports its whole time, not its last leg's (time spent after the last checkpoint of a killed
   * run is redone, and not counted twice).
   */
  trainSeconds: z.number().nonnegative(),
  /** This run's own training time (equal to `trainSeconds` unless it resumed). */
  trainSecondsThisRun: z.number().nonnegative().optional(),
  /** Trained tokens a second over `trainSeconds`. */
  tokensPerSecond: z.number().nullable(),
  convertSeconds: z.number().nonnegative(),
  outputs: z.object({
    /** PEFT adapter directory (LoRA). */
    adapterDir: z.string().optional(),
    /** The adapter as GGUF, for `--lora` / `LlamaCppModelOptions.lora`. */
    adapterGguf: z.string().optional(),
    /** Hugging Face directory of the fine-tuned model (full fine-tune). */
    hfDir: z.string().optional(),
    /** The fine-tuned model as GGUF (full fine-tune), for `local:<file>`. */
    modelGguf: z.string().optional(),
  }),
});
export type SftTrainingReport = z.infer<typeof sftTrainingReportSchema>;

/** Whether a `training-report.json` is train-sft's (a method and a loss curve) rather than a reward model's. */
export function isSftTrainingReport(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { losses?: unknown }).losses) &&
    typeof (value as { method?: unknown }).method === 'string'
  );
}
