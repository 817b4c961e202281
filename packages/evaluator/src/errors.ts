import { AutoTrajError } from '@autotraj/trajectory';

/** The evaluator was misused or met input it cannot score (bad option, unknown preset, ...). */
export type EvaluatorErrorCode =
  | 'evaluator_failed'
  | 'invalid_option'
  | 'unknown_preset'
  | 'async_backend'
  | 'invalid_fixture'
  | 'worker_missing'
  | 'worker_start_failed'
  | 'math_verify_failed'
  // A public function was given input its schema rejects (the message names the field).
  | 'invalid_input';

export class EvaluatorError extends AutoTrajError {
  static readonly errorName = 'AutoTrajEvaluatorError';
  declare readonly code: EvaluatorErrorCode;

  constructor(options: { message: string; code?: EvaluatorErrorCode; cause?: unknown }) {
    super({
      name: EvaluatorError.errorName,
      code: options.code ?? 'evaluator_failed',
      message: options.message,
      cause: options.cause,
    });
  }

  static override isInstance(error: unknown): error is EvaluatorError {
    return AutoTrajError.isInstance(error) && error.name === EvaluatorError.errorName;
  }
}
