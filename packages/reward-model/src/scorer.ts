import { type ScoreItem, scorerMetadataSchema, type TrajectoryScorer } from '@autotraj/trajectory';
import { z } from 'zod';

export type { ScoreItem };

/** What an ONNX reward model scorer knows about its model; `props` are the ONNX metadata_props. */
export const onnxScorerMetadataSchema = scorerMetadataSchema.extend({
  kind: z.enum(['autotraj-reward-model', 'hf-sequence-classifier']),
  path: z.string(),
});
export type OnnxScorerMetadata = z.infer<typeof onnxScorerMetadataSchema>;

/** The `TrajectoryScorer` contract as this package's ONNX scorers implement it: model metadata always present. */
export interface OnnxTrajectoryScorer extends TrajectoryScorer {
  readonly metadata: OnnxScorerMetadata;
}
