import { AutoTrajError } from '@autotraj/trajectory';

export type RewardModelFileProblem = 'missing' | 'truncated' | 'corrupt' | 'not-a-reward-model';

export type RewardModelFileErrorCode =
  | 'model_file_missing'
  | 'model_file_truncated'
  | 'model_file_corrupt'
  | 'model_file_not_a_reward_model';

const MODEL_FILE_CODES: Readonly<Record<RewardModelFileProblem, RewardModelFileErrorCode>> = {
  missing: 'model_file_missing',
  truncated: 'model_file_truncated',
  corrupt: 'model_file_corrupt',
  'not-a-reward-model': 'model_file_not_a_reward_model',
};

/** A model file could not be read: missing, cut off, not protobuf, or not one of ours. */
export class RewardModelFileError extends AutoTrajError {
  static readonly errorName = 'AutoTrajRewardModelFileError';
  declare readonly code: RewardModelFileErrorCode;
  readonly path: string;
  readonly problem: RewardModelFileProblem;

  constructor(options: {
    path: string;
    problem: RewardModelFileProblem;
    detail: string;
    cause?: unknown;
  }) {
    super({
      name: RewardModelFileError.errorName,
      code: MODEL_FILE_CODES[options.problem],
      message: `${options.path}: ${options.detail}`,
      cause: options.cause,
    });
    this.path = options.path;
    this.problem = options.problem;
  }

  static override isInstance(error: unknown): error is RewardModelFileError {
    return AutoTrajError.isInstance(error) && error.name === RewardModelFileError.errorName;
  }
}

/** The model was built for another featurizer (version or config hash differ): its scores would be garbage. */
export class FeaturizerMismatchError extends AutoTrajError {
  static readonly errorName = 'AutoTrajFeaturizerMismatchError';
  declare readonly code: 'featurizer_mismatch';
  readonly expected: { version: string; configHash: string };
  readonly found: { version: string; configHash: string };

  constructor(options: {
    path: string;
    expected: { version: string; configHash: string };
    found: { version: string; configHash: string };
  }) {
    super({
      name: FeaturizerMismatchError.errorName,
      code: 'featurizer_mismatch',
      message:
        `${options.path}: model was trained with featurizer ${options.found.version} (config ${options.found.configHash}), ` +
        `but this scorer uses ${options.expected.version} (config ${options.expected.configHash}); retrain or use a matching @autotraj/reward-model`,
    });
    this.expected = options.expected;
    this.found = options.found;
  }

  static override isInstance(error: unknown): error is FeaturizerMismatchError {
    return AutoTrajError.isInstance(error) && error.name === FeaturizerMismatchError.errorName;
  }
}

/** The ONNX graph's inputs or outputs are not the ones this scorer feeds and reads. */
export class ModelSignatureError extends AutoTrajError {
  static readonly errorName = 'AutoTrajModelSignatureError';
  declare readonly code: 'model_wrong_inputs' | 'model_wrong_outputs';
  readonly path: string;
  readonly expected: string[];
  readonly found: string[];

  constructor(options: {
    path: string;
    kind: 'inputs' | 'outputs';
    expected: string[];
    found: string[];
  }) {
    super({
      name: ModelSignatureError.errorName,
      code: options.kind === 'inputs' ? 'model_wrong_inputs' : 'model_wrong_outputs',
      message: `${options.path}: model ${options.kind} are [${options.found.join(', ')}], expected [${options.expected.join(', ')}]`,
    });
    this.path = options.path;
    this.expected = options.expected;
    this.found = options.found;
  }

  static override isInstance(error: unknown): error is ModelSignatureError {
    return AutoTrajError.isInstance(error) && error.name === ModelSignatureError.errorName;
  }
}

/** `score([])` or a featurize call with nothing in it: almost always an upstream bug, so it is loud. */
export class EmptyBatchError extends AutoTrajError {
  static readonly errorName = 'AutoTrajEmptyBatchError';
  declare readonly code: 'empty_batch';

  constructor(options: { what: string }) {
    super({
      name: EmptyBatchError.errorName,
      code: 'empty_batch',
      message: `${options.what}: the batch is empty; pass at least one item`,
    });
  }

  static override isInstance(error: unknown): error is EmptyBatchError {
    return AutoTrajError.isInstance(error) && error.name === EmptyBatchError.errorName;
  }
}

/** Training cannot run on what it was given (no pairs, bad options, a pair index out of range). */
export class TrainingError extends AutoTrajError {
  static readonly errorName = 'AutoTrajTrainingError';
  /** `invalid_input`: a public function's input failed its schema (`parameter` is the field path). */
  declare readonly code: 'training_failed' | 'invalid_input';
  /** The option at fault (`validationSplit`, `epochs`, ...), or null when no one option is. */
  readonly parameter: string | null;

  constructor(options: {
    message: string;
    parameter?: string;
    cause?: unknown;
    code?: 'training_failed' | 'invalid_input';
  }) {
    super({
      name: TrainingError.errorName,
      code: options.code ?? 'training_failed',
      message: options.message,
      cause: options.cause,
    });
    this.parameter = options.parameter ?? null;
  }

  static override isInstance(error: unknown): error is TrainingError {
    return AutoTrajError.isInstance(error) && error.name === TrainingError.errorName;
  }
}

/** A scorer was used after `close()`. */
export class ScorerClosedError extends AutoTrajError {
  static readonly errorName = 'AutoTrajScorerClosedError';
  declare readonly code: 'scorer_closed';

  constructor() {
    super({
      name: ScorerClosedError.errorName,
      code: 'scorer_closed',
      message: 'the scorer was closed; create a new one',
    });
  }

  static override isInstance(error: unknown): error is ScorerClosedError {
    return AutoTrajError.isInstance(error) && error.name === ScorerClosedError.errorName;
  }
}
