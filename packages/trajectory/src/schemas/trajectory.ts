import { z } from 'zod';
import { metadataSchema } from './json-value.js';
import { stepSchema } from './step.js';

export const usageSchema = z.object({
  inputTokens: z.number().int().nonnegative().optional(),
  outputTokens: z.number().int().nonnegative().optional(),
  totalTokens: z.number().int().nonnegative().optional(),
});

export const samplingSchema = z.object({
  temperature: z.number().optional(),
  topP: z.number().optional(),
  maxOutputTokens: z.number().int().optional(),
  seed: z.number().int().optional(),
});

/** Who or what produced a trajectory, and how. */
export const provenanceSchema = z.object({
  /** Model id (`openai:gpt-4o-mini`, `6b_finetuning`, `tora-70b`, ...). */
  model: z.string().optional(),
  /** How the trajectory came to be: sampled, repaired, imported from a data set, ... */
  origin: z.enum(['sampled', 'repaired', 'imported', 'reference', 'rollout']).optional(),
  /** The codec / file format it was parsed from. */
  format: z.string().optional(),
  sampling: samplingSchema.optional(),
  usage: usageSchema.optional(),
  startedAt: z.iso.datetime().optional(),
  finishedAt: z.iso.datetime().optional(),
  durationMs: z.number().nonnegative().optional(),
  /** Id of the trajectory this one was derived from (a repair's original). */
  parentId: z.string().optional(),
});

export const trajectorySchema = z
  .object({
    id: z.string().min(1),
    taskId: z.string().min(1),
    question: z.string().optional(),
    steps: z.array(stepSchema),
    /** The extracted final answer, or null when the trajectory never answered. */
    finalAnswer: z.string().nullable().default(null),
    provenance: provenanceSchema.default({}),
    metadata: metadataSchema.default({}),
  })
  .superRefine((trajectory, ctx) => {
    // Every result must answer an earlier call, and call ids are unique: consumers pair them by id.
    const calls = new Set<string>();
    trajectory.steps.forEach((step, index) => {
      if (step.type === 'tool-call') {
        if (calls.has(step.callId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['steps', index, 'callId'],
            message: `duplicate call id "${step.callId}"`,
          });
        }
        calls.add(step.callId);
      } else if (step.type === 'tool-result' && !calls.has(step.callId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', index, 'callId'],
          message: `result for unknown call id "${step.callId}"`,
        });
      }
    });
  });

export type Usage = z.infer<typeof usageSchema>;
export type Sampling = z.infer<typeof samplingSchema>;
export type Provenance = z.infer<typeof provenanceSchema>;
export type Trajectory = z.infer<typeof trajectorySchema>;
export type TrajectoryInput = z.input<typeof trajectorySchema>;
