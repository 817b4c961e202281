export type { AdmitTrainingPairsOptions } from './admit-pairs.js';
export {
  featurizerConfigHash,
  loadRewardModel,
  readPreferencePairs,
  tokenize,
} from './entry/checked-files.js';
export { histogram, pairwiseAccuracy, rocAuc } from './entry/checked-metrics.js';
export {
  exportOnnx,
  renderScoreText,
  scoreWithModel,
  trainTransformerRewardModel,
} from './entry/checked-model.js';
export {
  admitTrainingPairs,
  holdOutPairs,
  lengthBaseline,
  splitPairsByTask,
} from './entry/checked-pairs.js';
// The checked entry points: options and records parsed first (entry/).
export {
  createHfSequenceClassifierScorer,
  createOnnxScorer,
  openTrajectoryScorer,
} from './entry/checked-scorers.js';
export { featurize, trainRewardModel } from './entry/checked-training.js';
export {
  EmptyBatchError,
  FeaturizerMismatchError,
  ModelSignatureError,
  RewardModelFileError,
  type RewardModelFileErrorCode,
  type RewardModelFileProblem,
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
  featurizerConfigSchema,
} from './featurize.js';
export type { CreateHfSequenceClassifierScorerOptions } from './hf-scorer.js';
export { DEFAULT_VALIDATION_SPLIT } from './hold-out.js';
export type { Histogram } from './metrics.js';
export type {
  FloatVector,
  RewardModel,
  RewardModelParams,
  RewardModelShape,
} from './model.js';
export {
  type ExportOnnxOptions,
  METADATA_KEYS,
  REWARD_MODEL_INPUTS,
  REWARD_MODEL_OUTPUT,
} from './onnx-export.js';
export type { CreateOnnxScorerOptions, OnnxSessionOptions } from './onnx-scorer.js';
export {
  HF_METADATA_KEYS,
  HF_REWARD_MODEL_KIND,
  type OpenRewardModelOptions,
} from './open-scorer.js';
export { gsm8kCorrectnessPairs } from './pairs.js';
export type { RewardModelMetadata } from './read-model.js';
export type { OnnxScorerMetadata, OnnxTrajectoryScorer, ScoreItem } from './scorer.js';
export { STRUCTURAL_FEATURE_NAMES } from './structural-features.js';
export type { EpochReport, TrainingReport, TrainRewardModelOptions } from './train.js';
export {
  type TrainTransformerRewardModelOptions,
  type TransformerTrainingSummary,
  transformerTrainerScript,
} from './train-transformer.js';
export { REWARD_MODEL_TRAINING_DEFAULTS } from './training-defaults.js';
