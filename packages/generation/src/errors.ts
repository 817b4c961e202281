import { AutoTrajError } from '@autotraj/trajectory';

/** A model call failed for good: retries exhausted, a non-retryable error, or a timeout. */
export class ModelCallError extends AutoTrajError {
  static readonly errorName = 'AutoTrajModelCallError';
  /** Why, in one stable word: `timeout`, `rate-limited`, `server-error`, `empty-completion`, `incomplete-stream`, `request-failed`. */
  readonly reason: string;
  readonly attempts: number;

  constructor(options: { reason: string; attempts: number; message: string; cause?: unknown }) {
    super({
      name: ModelCallError.errorName,
      code: `model_${options.reason.replaceAll('-', '_')}`,
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

  constructor(options: { message: string; cause?: unknown }) {
    super({
      name: GenerationConfigError.errorName,
      code: 'generation_config',
      message: options.message,
      cause: options.cause,
    });
  }

  static override isInstance(error: unknown): error is GenerationConfigError {
    return AutoTrajError.isInstance(error) && error.name === GenerationConfigError.errorName;
  }
}
