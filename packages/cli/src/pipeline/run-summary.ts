import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES, writeJsonAtomic } from '@autotraj/trajectory';
import { z } from 'zod';

export const RUN_SUMMARY_FILE = RUN_FILES.runSummary;

/** How a stage ended: it ran, an earlier run's output was current and kept, or it was skipped. */
export const stageStatusSchema = z.enum(['completed', 'kept', 'skipped']);
export type StageStatus = z.infer<typeof stageStatusSchema>;

const stageSchema = z.object({
  status: stageStatusSchema,
  /** Plain statements of what happened (and why, for a skip), as the CLI printed them. */
  notes: z.array(z.string()),
});

/**
 * `run-summary.json`, written by `autotraj run` beside the stage folders: the model and sampling
 * that ran and how each stage ended, so the report states a skipped stage instead of guessing
 * from which files exist.
 */
export const runSummarySchema = z.object({
  version: z.literal(1),
  model: z.object({
    /** `live`, `replay` or `demo-replay` (the authored cassette). */
    mode: z.string(),
    /** The policy's name as the manifest records it (`local:smollm2`, a cassette's model, ...). */
    name: z.string(),
  }),
  sampling: z.object({
    tasks: z.string(),
    taskCount: z.number().int(),
    n: z.number().int(),
    groupSize: z.number().int(),
    temperature: z.number(),
    maxTokens: z.number().int().nullable(),
  }),
  stages: z.object({
    synthesize: stageSchema.extend({
      candidates: z.number().int(),
      correct: z.number().int(),
      kept: z.number().int(),
      repairsAccepted: z.number().int(),
      sft: z.number().int(),
      pairs: z.number().int(),
      /** What the admission gate kept out of the SFT set and pairs (absent in older summaries). */
      admission: z
        .object({
          mode: z.string().nullable(),
          droppedSft: z.number().int(),
          droppedPairs: z.number().int(),
          /** Refused trajectories by reason code; one can fail several checks. */
          byReason: z.record(z.string(), z.number().int()),
        })
        .optional(),
    }),
    'train-rm': stageSchema.extend({
      /** Pairs needed to train one (fewer: the stage is skipped). */
      minPairs: z.number().int(),
      modelPath: z.string().nullable(),
    }),
    rollout: stageSchema.extend({
      rollouts: z.number().int(),
      correct: z.number().int(),
      /** The reward terms that ran: `format`, `outcome`, and `reward model` when one was used. */
      rewardTerms: z.array(z.string()),
    }),
  }),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

/** Write the summary atomically (a killed run never leaves half a file). */
export function writeRunSummary(runDir: string, summary: RunSummary): string {
  const path = join(runDir, RUN_SUMMARY_FILE);
  writeJsonAtomic(path, summary);
  return path;
}

/** The summary at `path`, or an error message naming the file and the first bad field. */
export function readRunSummary(path: string): { summary: RunSummary } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    return { error: `${path}: ${(cause as Error).message}` };
  }
  const parsed = runSummarySchema.safeParse(json);
  if (parsed.success) return { summary: parsed.data };
  const issue = parsed.error.issues[0];
  return { error: `${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}` };
}
