import { AutoTrajError } from '@autotraj/trajectory';

/** A user-facing CLI failure: printed as `autotraj: message`, exit code 1 (2 for usage). */
export class CliError extends AutoTrajError {
  static readonly errorName = 'AutoTrajCliError';
  declare readonly code: 'cli_failed';
  readonly exitCode: number;

  constructor(options: { message: string; exitCode?: number; cause?: unknown }) {
    super({
      name: CliError.errorName,
      code: 'cli_failed',
      message: options.message,
      cause: options.cause,
    });
    this.exitCode = options.exitCode ?? 1;
  }

  static override isInstance(error: unknown): error is CliError {
    return AutoTrajError.isInstance(error) && error.name === CliError.errorName;
  }
}
