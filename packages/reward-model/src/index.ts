export { lengthBaseline, trajectoryLength } from './baselines.js';
export {
  EmptyBatchError,
  FeaturizerMismatchError,
  ModelFileError,
  type ModelFileProblem,
  ModelSignatureError,
  ScorerClosedError,
  TrainingError,
} from './errors.js';
export {
  FEATURE_CHANNELS,
  FEATURIZER_VERSION,
  type FeatureBatch,
  type FeaturizeItem,
  type FeaturizerConfig,
  type FeaturizerConfigInput,
  featurize,
  featurizerConfigHash,
  featurizerConfigSchema,
  type PaddedBags,
  padBags,
  padRows,
  resolveFeaturizerConfig,
} from './featurize.js';
export {
  type CreateHfSequenceClassifierScorerOptions,
  createHfSequenceClassifierScorer,
  truncateIds,
} from './hf-scorer.js';
export { type Histogram, histogram, pairwiseAccuracy, rocAuc } from './metrics.js';
export {
  type FloatVector,
  initParams,
  type RewardModel,
  type RewardModelParams,
  type RewardModelShape,
  scoreFeatures,
  scoreWithModel,
} from './model.js';
export {
  type ExportOnnxOptions,
  exportOnnx,
  METADATA_KEYS,
  REWARD_MODEL_INPUTS,
  REWARD_MODEL_OUTPUT,
  rewardModelToOnnx,
} from './onnx-export.js';
export { ONNX_IR_VERSION, ONNX_OPSET } from './onnx-proto.js';
export {
  type CreateOnnxScorerOptions,
  createOnnxScorer,
  type OnnxSessionOptions,
} from './onnx-scorer.js';
export { gsm8kCorrectnessPairs, splitPairsByTask, toraCorrectnessPairs } from './pairs.js';
export { loadRewardModel, type RewardModelMetadata } from './read-model.js';
export { readPreferencePairs } from './read-pairs.js';
export type { ScoreItem, ScorerMetadata, TrajectoryScorer } from './scorer.js';
export {
  parseNumeric,
  STRUCTURAL_FEATURE_COUNT,
  STRUCTURAL_FEATURE_NAMES,
} from './structural-features.js';
export { hashToken, tokenize } from './tokenize.js';
export {
  bradleyTerryLoss,
  type EpochReport,
  type TrainingReport,
  type TrainRewardModelOptions,
  trainRewardModel,
} from './train.js';
