import { AutoTrajError } from '@autotraj/trajectory';

/** The evaluator was misused or met input it cannot score (bad option, unknown preset, ...). */
export class EvaluatorError extends AutoTrajError {
  static readonly errorName = 'AutoTrajEvaluatorError';

  constructor(options: { message: string; code?: string; cause?: unknown }) {
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
