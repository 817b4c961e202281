import { AutoTrajError } from '@autotraj/trajectory';

export type GgufFileErrorCode =
  | 'model_file_missing'
  | 'model_file_invalid'
  | 'model_file_truncated'
  | 'model_file_corrupted';

/** A GGUF path that does not exist, is not a readable GGUF file, is cut short or damaged. */
export class GgufFileError extends AutoTrajError {
  static readonly errorName = 'AutoTrajGgufFileError';
  declare readonly code: GgufFileErrorCode;
  readonly file: string;

  constructor(options: {
    file: string;
    code: GgufFileErrorCode;
    detail: string;
    cause?: unknown;
  }) {
    super({
      name: GgufFileError.errorName,
      code: options.code,
      message: `${options.file}: ${options.detail}`,
      cause: options.cause,
    });
    this.file = options.file;
  }

  static override isInstance(error: unknown): error is GgufFileError {
    return AutoTrajError.hasName(error, GgufFileError.errorName);
  }
}

/** A model fetched by `./dev models` was asked for by name but is not in the models directory. */
export class ModelNotFetchedError extends AutoTrajError {
  static readonly errorName = 'AutoTrajModelNotFetchedError';
  declare readonly code: 'model_not_fetched';
  readonly model: string;
  readonly file: string | undefined;

  constructor(options: { model: string; file?: string; detail: string }) {
    super({
      name: ModelNotFetchedError.errorName,
      code: 'model_not_fetched',
      message: `model "${options.model}": ${options.detail}; run \`./dev models\` to fetch it`,
    });
    this.model = options.model;
    this.file = options.file;
  }

  static override isInstance(error: unknown): error is ModelNotFetchedError {
    return AutoTrajError.hasName(error, ModelNotFetchedError.errorName);
  }
}

export type LlamaCppErrorCode =
  | 'chat_template_failed'
  | 'prompt_unsupported'
  | 'worker_failed'
  | 'model_closed'
  | 'runtime_unavailable'
  | 'context_overflow'
  | 'out_of_memory'
  | 'source_unavailable'
  // An argument of a main-entry function failed its check (the message names the field).
  | 'invalid_input';

/** The local model could not serve a call: its runtime, its worker, its template or the prompt. */
export class LlamaCppError extends AutoTrajError {
  static readonly errorName = 'AutoTrajLlamaCppError';
  declare readonly code: LlamaCppErrorCode;

  constructor(options: { code: LlamaCppErrorCode; message: string; cause?: unknown }) {
    super({
      name: LlamaCppError.errorName,
      code: options.code,
      message: options.message,
      cause: options.cause,
    });
  }

  static override isInstance(error: unknown): error is LlamaCppError {
    return AutoTrajError.hasName(error, LlamaCppError.errorName);
  }
}
