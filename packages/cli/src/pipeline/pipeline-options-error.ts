import { AutoTrajError } from '@autotraj/trajectory';

/**
 * `runPipeline` was given options it cannot run with (contradictory model options, a protocol
 * the demo cassette cannot answer, `minPairs` below 1). The message names the options as
 * `runPipeline` spells them (`replay`, `baseURL`); `parameters` lists them. Nothing was done.
 */
export class PipelineOptionsError extends AutoTrajError {
  static readonly errorName = 'AutoTrajPipelineOptionsError';
  /** `invalid_input`: an option failed its schema (a misspelt key, a wrong type). */
  declare readonly code: 'pipeline_options_invalid' | 'invalid_input';
  /** The options at fault, as `PipelineOptions` names them. */
  readonly parameters: ReadonlyArray<string>;

  constructor(options: {
    parameters: ReadonlyArray<string>;
    message: string;
    code?: 'pipeline_options_invalid' | 'invalid_input';
    cause?: unknown;
  }) {
    super({
      name: PipelineOptionsError.errorName,
      code: options.code ?? 'pipeline_options_invalid',
      message: options.message,
      cause: options.cause,
    });
    this.parameters = [...options.parameters];
  }

  static override isInstance(error: unknown): error is PipelineOptionsError {
    return AutoTrajError.isInstance(error) && error.name === PipelineOptionsError.errorName;
  }
}
