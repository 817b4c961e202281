import { AutoTrajError } from '@autotraj/trajectory';

/** Options that cannot work together (a bad clip range, a negative group size, ...). */
export class RlConfigError extends AutoTrajError {
  static readonly errorName = 'AutoTrajRlConfigError';
  /** `invalid_input`: a public function's input failed its schema (`option` is the field path). */
  declare readonly code: 'rl_config_invalid' | 'invalid_input';
  readonly option: string;

  constructor(options: {
    option: string;
    message: string;
    code?: 'rl_config_invalid' | 'invalid_input';
    /** The whole message, when it already names the place (entry-point input checks). */
    fullMessage?: string;
    cause?: unknown;
  }) {
    super({
      name: RlConfigError.errorName,
      code: options.code ?? 'rl_config_invalid',
      message: options.fullMessage ?? `${options.option}: ${options.message}`,
      cause: options.cause,
    });
    this.option = options.option;
  }

  static override isInstance(error: unknown): error is RlConfigError {
    return AutoTrajError.hasName(error, RlConfigError.errorName);
  }
}

/** A reward request body is unusable; the server answers it with `status` and this message. */
export class RewardRequestError extends AutoTrajError {
  static readonly errorName = 'AutoTrajRewardRequestError';
  declare readonly code: 'reward_request_invalid';
  readonly status: number;

  constructor(options: { status: number; message: string }) {
    super({
      name: RewardRequestError.errorName,
      code: 'reward_request_invalid',
      message: options.message,
    });
    this.status = options.status;
  }

  static override isInstance(error: unknown): error is RewardRequestError {
    return AutoTrajError.hasName(error, RewardRequestError.errorName);
  }
}

/** The trajectory scorer returned something other than one finite score per item. */
export class ScorerOutputError extends AutoTrajError {
  static readonly errorName = 'AutoTrajScorerOutputError';
  declare readonly code: 'scorer_output_invalid';

  constructor(options: { message: string }) {
    super({
      name: ScorerOutputError.errorName,
      code: 'scorer_output_invalid',
      message: options.message,
    });
  }

  static override isInstance(error: unknown): error is ScorerOutputError {
    return AutoTrajError.hasName(error, ScorerOutputError.errorName);
  }
}

/** SFT records that cannot be trained on: none at all, or one with nothing to mask or to learn. */
export class SftInputError extends AutoTrajError {
  static readonly errorName = 'AutoTrajSftInputError';
  declare readonly code: 'sft_input_invalid';
  /** Where: `file:line` or `record i`, and the record's id when it has one. */
  readonly where: string;

  constructor(options: { where: string; message: string }) {
    super({
      name: SftInputError.errorName,
      code: 'sft_input_invalid',
      message: `${options.where}: ${options.message}`,
    });
    this.where = options.where;
  }

  static override isInstance(error: unknown): error is SftInputError {
    return AutoTrajError.hasName(error, SftInputError.errorName);
  }
}
