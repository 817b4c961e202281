import {
  type ScoreItem,
  scorerMetadataSchema,
  type TrajectoryScorer as TrajectoryScorerContract,
} from '@autotraj/trajectory';
import { z } from 'zod';

export type { ScoreItem };

/** What an ONNX reward model scorer knows about its model; `props` are the ONNX metadata_props. */
export const rewardModelMetadataSchema = scorerMetadataSchema.extend({
  kind: z.enum(['autotraj-reward-model', 'hf-sequence-classifier']),
  path: z.string(),
});
export type ScorerMetadata = z.infer<typeof rewardModelMetadataSchema>;

/** The shared `TrajectoryScorer` contract, with this package's model metadata always present. */
export interface TrajectoryScorer extends TrajectoryScorerContract {
  readonly metadata: ScorerMetadata;
}
