import { AutoTrajError } from '@autotraj/trajectory';

/** Why a model call failed, in one stable word. */
export type ModelCallReason =
  | 'timeout'
  | 'rate-limited'
  | 'server-error'
  | 'empty-completion'
  | 'incomplete-stream'
  | 'request-failed';

export type ModelCallErrorCode =
  | 'model_timeout'
  | 'model_rate_limited'
  | 'model_server_error'
  | 'model_empty_completion'
  | 'model_incomplete_stream'
  | 'model_request_failed';

const MODEL_CALL_CODES: Readonly<Record<ModelCallReason, ModelCallErrorCode>> = {
  timeout: 'model_timeout',
  'rate-limited': 'model_rate_limited',
  'server-error': 'model_server_error',
  'empty-completion': 'model_empty_completion',
  'incomplete-stream': 'model_incomplete_stream',
  'request-failed': 'model_request_failed',
};

/** A model call failed for good: retries exhausted, a non-retryable error, or a timeout. */
export class ModelCallError extends AutoTrajError {
  static readonly errorName = 'AutoTrajModelCallError';
  declare readonly code: ModelCallErrorCode;
  /** Why, in one stable word: `timeout`, `rate-limited`, `server-error`, `empty-completion`, `incomplete-stream`, `request-failed`. */
  readonly reason: ModelCallReason;
  readonly attempts: number;

  constructor(options: {
    reason: ModelCallReason;
    attempts: number;
    message: string;
    cause?: unknown;
  }) {
    super({
      name: ModelCallError.errorName,
      code: MODEL_CALL_CODES[options.reason],
      message: options.message,
      cause: options.cause,
    });
    this.reason = options.reason;
    this.attempts = options.attempts;
  }

  static override isInstance(error: unknown): error is ModelCallError {
    return AutoTrajError.isInstance(error) && error.name === ModelCallError.errorName;
  }
}

/** A replay model was asked something its cassette does not hold. */
export class CassetteMissError extends AutoTrajError {
  static readonly errorName = 'AutoTrajCassetteMissError';
  declare readonly code: 'cassette_miss';
  readonly key: string;
  readonly cassette: string;

  constructor(options: { key: string; cassette: string; summary: string }) {
    super({
      name: CassetteMissError.errorName,
      code: 'cassette_miss',
      message: `cassette ${options.cassette} has no response for request ${options.key} (${options.summary}); record it by wrapping a live model with createRecordingModel, or check that the prompt, tools and sampling settings match the recording`,
    });
    this.key = options.key;
    this.cassette = options.cassette;
  }

  static override isInstance(error: unknown): error is CassetteMissError {
    return AutoTrajError.isInstance(error) && error.name === CassetteMissError.errorName;
  }
}

/** Bad configuration or input to a generation API (unknown tool, bad model spec, unreadable file). */
export class GenerationConfigError extends AutoTrajError {
  static readonly errorName = 'AutoTrajGenerationConfigError';
  /** `invalid_input`: a public function's input failed its schema (the message names the field). */
  declare readonly code: 'generation_config' | 'invalid_input';

  constructor(options: {
    message: string;
    cause?: unknown;
    code?: 'generation_config' | 'invalid_input';
  }) {
    super({
      name: GenerationConfigError.errorName,
      code: options.code ?? 'generation_config',
      message: options.message,
      cause: options.cause,
    });
  }

  static override isInstance(error: unknown): error is GenerationConfigError {
    return AutoTrajError.isInstance(error) && error.name === GenerationConfigError.errorName;
  }
}
