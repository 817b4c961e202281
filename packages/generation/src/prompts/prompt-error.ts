import { AutoTrajError } from '@autotraj/trajectory';

export type PromptTemplateErrorCode = 'prompt_unknown' | 'prompt_file_invalid' | 'prompt_mismatch';

/** A prompt template that is not known, a prompt file that does not parse, or a wrong kind. */
export class PromptTemplateError extends AutoTrajError {
  static readonly errorName = 'AutoTrajPromptTemplateError';
  declare readonly code: PromptTemplateErrorCode;
  /** The file, when the template came from one. */
  readonly file: string | undefined;

  constructor(options: {
    code: PromptTemplateErrorCode;
    message: string;
    file?: string;
    cause?: unknown;
  }) {
    super({
      name: PromptTemplateError.errorName,
      code: options.code,
      message: options.message,
      cause: options.cause,
    });
    this.file = options.file;
  }

  static override isInstance(error: unknown): error is PromptTemplateError {
    return AutoTrajError.hasName(error, PromptTemplateError.errorName);
  }
}
