import { z } from 'zod';
import { runSettingsSchema } from './run-settings.js';

const count = z.number().int().nonnegative();
const taskSetDigestSchema = z.object({ count, digest: z.string() });

/**
 * `manifest.json` of a synthesis run (`synthesize`, `autotraj synthesize`, the first stage of
 * `autotraj run`), written when the run finishes. The top level and `config` are loose (a manifest written by a
 * later version with more fields still reads; nested figures are read as far as they are known). Fields older manifests lack are optional.
 */
export const synthesisManifestSchema = z.looseObject({
  /** What `autotraj merge` dispatches on (absent in manifests written before it existed). */
  kind: z.literal('synthesis').optional(),
  createdBy: z.string().optional(),
  /** Which rules scored and selected the candidates (`paper`, `autotraj`). */
  evaluatorPreset: z.string().nullable().optional(),
  finishedAt: z.string().optional(),
  versions: z.record(z.string(), z.string()).optional(),
  /** The run's configuration as the library and the CLI recorded it. */
  config: z
    .looseObject({
      n: z.number().int().positive().optional(),
      protocol: z.string().optional(),
      maxToolCalls: z.number().int().nonnegative().optional(),
      sampling: z
        .object({
          temperature: z.number().optional(),
          maxOutputTokens: z.number().optional(),
          seed: z.number().optional(),
        })
        .optional(),
      seedDerivation: z.string().optional(),
      model: z.string().optional(),
      modelMode: z.string().optional(),
      repairModel: z.string().optional(),
      tools: z.array(z.string()).optional(),
      admission: z.string().optional(),
      preset: z.string().optional(),
      /** The tasks file the run read. */
      tasks: z.string().optional(),
      prompt: z.unknown().optional(),
      repairPrompt: z.unknown().optional(),
    })
    .optional(),
  /** The settings that make a rerun the same run (`openRunDir`); absent before they were recorded. */
  settings: runSettingsSchema.optional(),
  files: z.record(z.string(), z.string()).optional(),
  outDir: z.string().optional(),
  shard: z
    .object({
      index: z.number().int(),
      count: z.number().int(),
      spec: z.string(),
      source: z.string().optional(),
    })
    .nullable()
    .optional(),
  coverage: z
    .object({
      run: taskSetDigestSchema.extend({ contentDigest: z.string() }),
      assigned: taskSetDigestSchema,
      done: taskSetDigestSchema,
    })
    .optional(),
  /** The admission gate the SFT records and pairs were written through (`well-formed`, `none`). */
  admission: z.string().optional(),
  /** Figures by record kind (each optional: readers take what a manifest has). */
  counts: z
    .object({
      tasks: count.optional(),
      candidates: count.optional(),
      kept: count.optional(),
      repairAccepted: count.optional(),
      hard: count.optional(),
      discarded: count.optional(),
      sft: count.optional(),
      pairs: count.optional(),
      droppedSft: count.optional(),
      droppedPairs: count.optional(),
      refusedKeptRepairs: count.optional(),
      refusedKeptRepaired: count.optional(),
      droppedByReason: z.record(z.string(), count).optional(),
    })
    .optional(),
  run: z
    .object({ done: count, resumed: count, failed: count, failures: z.array(z.unknown()) })
    .optional(),
  timings: z.record(z.string(), z.number()).optional(),
});
export type SynthesisManifest = z.infer<typeof synthesisManifestSchema>;
