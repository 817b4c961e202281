import { z } from 'zod';
import { dimensionScoreSchema } from '../contracts/evaluation.js';
import { metadataSchema } from './json-value.js';
import { trajectorySchema } from './trajectory.js';

/** A character range of rendered text and who wrote it; tool-written text is excluded from the loss. */
export const lossMaskSpanSchema = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  source: z.enum(['model', 'tool']),
});

export const renderedTextSchema = z.object({
  format: z.string(),
  text: z.string(),
  spans: z.array(lossMaskSpanSchema),
});

/**
 * The exact turns a policy is prompted with for a task, and the template they came from: a
 * trainer builds the prompt from these, so a model trained on the record is trained on what it
 * will be asked at inference.
 */
export const promptTurnsSchema = z.object({
  name: z.string().min(1),
  version: z.number().int().min(1),
  hash: z.string().min(1),
  system: z.string().optional(),
  user: z.string(),
});

/** One SFT example: a kept or accepted-repaired trajectory with its loss-masked rendering. */
export const sftRecordSchema = z.object({
  id: z.string().min(1),
  taskId: z.string().min(1),
  /** System prompt / instruction the trajectory was generated under. */
  instruction: z.string().optional(),
  question: z.string(),
  /** The policy's prompt turns for the task (repairs too: the policy's, not the repairer's). */
  prompt: promptTurnsSchema.optional(),
  trajectory: trajectorySchema,
  origin: z.enum(['kept', 'repaired']),
  quality: z.number().optional(),
  rendered: renderedTextSchema,
  metadata: metadataSchema.default({}),
});

/** A preference pair: chosen (e.g. repaired) over rejected (e.g. original) for one question. */
export const preferencePairSchema = z.object({
  id: z.string().min(1),
  taskId: z.string().min(1),
  instruction: z.string().optional(),
  question: z.string(),
  /** The policy's prompt turns for the task. */
  prompt: promptTurnsSchema.optional(),
  chosen: trajectorySchema,
  rejected: trajectorySchema,
  /** Why chosen beats rejected: `repair`, `correctness`, `quality`, ... */
  source: z.string().default('repair'),
  chosenScore: z.number().optional(),
  rejectedScore: z.number().optional(),
  metadata: metadataSchema.default({}),
});

/** A trajectory with evaluator scores (per dimension and overall). */
export const scoredTrajectorySchema = z.object({
  trajectory: trajectorySchema,
  correct: z.boolean().nullable().default(null),
  quality: z.number().optional(),
  dimensions: z.record(z.string(), dimensionScoreSchema).default({}),
  metadata: metadataSchema.default({}),
});

export const rewardBreakdownSchema = z.object({
  total: z.number(),
  components: z.record(z.string(), z.number()),
});

/** One RL rollout: prompt, trajectory, reward breakdown, group advantage, loss mask. */
export const rolloutRecordSchema = z.object({
  id: z.string().min(1),
  taskId: z.string().min(1),
  groupId: z.string().min(1),
  rolloutIndex: z.number().int().nonnegative(),
  /** The task's question. */
  prompt: z.string(),
  /** The turns the policy was prompted with (template, examples, question), when from a template. */
  promptTurns: promptTurnsSchema.optional(),
  trajectory: trajectorySchema,
  reward: rewardBreakdownSchema,
  advantage: z.number().nullable().default(null),
  rendered: renderedTextSchema,
  metadata: metadataSchema.default({}),
});

export type LossMaskSpan = z.infer<typeof lossMaskSpanSchema>;
export type RenderedText = z.infer<typeof renderedTextSchema>;
export type PromptTurns = z.infer<typeof promptTurnsSchema>;
export type SftRecord = z.infer<typeof sftRecordSchema>;
export type PreferencePair = z.infer<typeof preferencePairSchema>;
export type ScoredTrajectory = z.infer<typeof scoredTrajectorySchema>;
export type RewardBreakdown = z.infer<typeof rewardBreakdownSchema>;
export type RolloutRecord = z.infer<typeof rolloutRecordSchema>;
