import { AutoTrajError } from '@autotraj/trajectory';

/** Bad configuration or input to a repairer API (unknown tool, bad option, unreadable file). */
export class RepairerConfigError extends AutoTrajError {
  static readonly errorName = 'AutoTrajRepairerConfigError';
  declare readonly code: 'repairer_config';

  constructor(options: { message: string; cause?: unknown }) {
    super({
      name: RepairerConfigError.errorName,
      code: 'repairer_config',
      message: options.message,
      cause: options.cause,
    });
  }

  static override isInstance(error: unknown): error is RepairerConfigError {
    return AutoTrajError.isInstance(error) && error.name === RepairerConfigError.errorName;
  }
}
