import { z } from 'zod';
import type { Trajectory } from '../schemas/trajectory.js';

/** One trajectory to score, with the question it answers (reward models see both). */
export interface ScoreItem {
  question?: string | undefined;
  trajectory: Trajectory;
}

/** What a scorer knows about its model; `props` are e.g. an ONNX model's metadata_props. */
export const scorerMetadataSchema = z.object({
  kind: z.string(),
  path: z.string().optional(),
  inputNames: z.array(z.string()).default([]),
  outputNames: z.array(z.string()).default([]),
  props: z.record(z.string(), z.string()).default({}),
  featurizerVersion: z.string().optional(),
  configHash: z.string().optional(),
});
export type ScorerMetadata = z.infer<typeof scorerMetadataSchema>;

/**
 * Anything that scores trajectories in batches, higher is better: the ONNX reward models of
 * @autotraj/reward-model, a function, a remote service. The RL reward and server call this.
 */
export interface TrajectoryScorer {
  score(items: ReadonlyArray<ScoreItem>): Promise<Float32Array>;
  close(): Promise<void>;
  /** Present on model-backed scorers. */
  readonly metadata?: ScorerMetadata;
}
