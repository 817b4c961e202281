// The prompt registry, so RL prompt rows can use the templates synthesis used.
export { resolvePrompt } from '@autotraj/generation';
export type { AdvantageEstimator, GroupAdvantageOptions } from './advantages.js';
export type { RlPromptOptions } from './bridges/prompt-messages.js';
export type { TrlPromptRow, TrlRolloutRow, TrlSftRow } from './bridges/trl.js';
export type { VerlExportOptions, VerlRow } from './bridges/verl.js';
export {
  createFunctionScorer,
  filterZeroVarianceGroups,
  fitRmCalibration,
  mathOutcome,
  outcomeByDataSource,
  qaF1Outcome,
} from './entry/checked-outcomes.js';
export { createPolicyModel, createRolloutTools } from './entry/checked-policy.js';
// The checked entry points: input parsed with the contract schemas first (entry/).
export {
  createAutotrajReward,
  createPaperReward,
  createPresetReward,
  createReward,
  rewardTextOf,
} from './entry/checked-reward.js';
export { readRollouts, runRollouts } from './entry/checked-rollouts.js';
export {
  groupAdvantages,
  toTrlPromptRow,
  toTrlRolloutRow,
  toTrlSftRow,
  toVerlRows,
  verlParquetBuffer,
  writeTrlJsonl,
  writeVerlParquet,
} from './entry/checked-rows.js';
export { createRewardServer } from './entry/checked-server.js';
export { prepareSftTraining, trainSft } from './entry/checked-training.js';
export {
  RewardRequestError,
  RlConfigError,
  ScorerOutputError,
  SftInputError,
} from './errors.js';
export { type PolicyModelOptions, rolloutToolNames } from './policy.js';
export { sftTrainerScript } from './python-scripts.js';
export {
  type CreateRewardOptions,
  paperRewardDefaults,
  type Reward,
  type RewardPresetName,
  type RewardResult,
  type RewardWeights,
  type RmCalibration,
  rewardPresetNames,
} from './reward/create-reward.js';
export { type QaF1Fn, qaDataSources, type VerifyAnswerFn } from './reward/outcomes.js';
export {
  autotrajFormatCheck,
  autotrajRewardOptions,
  type PaperRewardOptions,
  paperRewardOptions,
  presetCalibration,
  rewardPresetOptions,
} from './reward/paper-reward.js';
export type { FormatCheck, FormatResult, OutcomeFn, RewardItem } from './reward/types.js';
export {
  type GenerateRollout,
  ROLLOUTS_FILE,
  type RolloutSummary,
  type RunRolloutsOptions,
} from './rollout/run-rollouts.js';
export type { TrajectoryScorer } from './scorer.js';
export type { MetricsSnapshot } from './server/metrics.js';
export type { RewardServer, RewardServerOptions } from './server/reward-server.js';
export { REWARD_SERVER_DEFAULTS } from './server/server-defaults.js';
export type { PrepareSftOptions, SftTrainingSet } from './sft/prepare-sft.js';
export { SFT_TRAINING_DEFAULTS } from './sft/sft-training-options.js';
export { type SftProgress, sftProgressSchema } from './sft/sft-training-report.js';
export type { TrainSftOptions } from './sft/train-sft.js';
export { trajectoryFromPolicyText } from './text-trajectory.js';
