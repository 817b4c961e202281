import { AutoTrajError } from '@autotraj/trajectory';

/** The Python pool was used after `close()`, or could not start a worker at all. */
export class PythonPoolError extends AutoTrajError {
  static readonly errorName = 'AutoTrajPythonPoolError';

  constructor(options: {
    message: string;
    code?: 'pool_closed' | 'worker_start_failed';
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

export type RemoteServiceErrorKind = 'network' | 'timeout' | 'http-status' | 'malformed-response';

/** A remote tool service (FlashRAG retriever, SandboxFusion) failed; `kind` says how. */
export class RemoteServiceError extends AutoTrajError {
  static readonly errorName = 'AutoTrajRemoteServiceError';
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
      code: `remote_${options.kind.replaceAll('-', '_')}`,
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
