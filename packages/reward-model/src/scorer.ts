import type { Trajectory } from '@autotraj/trajectory';

export interface ScoreItem {
  question?: string;
  trajectory: Trajectory;
}

/** What a scorer knows about its model; `props` are the ONNX metadata_props. */
export interface ScorerMetadata {
  kind: 'autotraj-reward-model' | 'hf-sequence-classifier';
  path: string;
  inputNames: string[];
  outputNames: string[];
  props: Record<string, string>;
  featurizerVersion?: string;
  configHash?: string;
}

/** Anything that scores trajectories in batches: higher is better. The RL reward calls this. */
export interface TrajectoryScorer {
  score(items: ReadonlyArray<ScoreItem>): Promise<Float32Array>;
  close(): Promise<void>;
  readonly metadata: ScorerMetadata;
}
