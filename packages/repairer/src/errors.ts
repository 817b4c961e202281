import { AutoTrajError } from '@autotraj/trajectory';

/** Bad configuration or input to a repairer API (unknown tool, bad option, unreadable file). */
export class RepairerConfigError extends AutoTrajError {
  static readonly errorName = 'AutoTrajRepairerConfigError';
  /** `invalid_input`: a public function's input failed its schema (the message names the field). */
  declare readonly code: 'repairer_config' | 'invalid_input';

  constructor(options: {
    message: string;
    cause?: unknown;
    code?: 'repairer_config' | 'invalid_input';
  }) {
    super({
      name: RepairerConfigError.errorName,
      code: options.code ?? 'repairer_config',
      message: options.message,
      cause: options.cause,
    });
  }

  static override isInstance(error: unknown): error is RepairerConfigError {
    return AutoTrajError.isInstance(error) && error.name === RepairerConfigError.errorName;
  }
}

export type CandidatesSourceErrorCode =
  | 'candidates_duplicate'
  | 'candidates_missing'
  | 'candidates_question_mismatch'
  | 'candidates_prompt_mismatch';

/**
 * The candidates file a synthesis run takes its candidates from (`candidates.from`) cannot
 * serve the run: a (taskId, index) twice, a task of the run with fewer than n candidates, a
 * candidate written for another question, or sampled with another prompt than the run's. Raised before any task runs; `file`, `line` and
 * `taskId` name the place.
 */
export class CandidatesSourceError extends AutoTrajError {
  static readonly errorName = 'AutoTrajCandidatesSourceError';
  declare readonly code: CandidatesSourceErrorCode;
  readonly file: string;
  /** The 1-based line of the offending record, when one record is at fault. */
  readonly line: number | null;
  readonly taskId: string | null;

  constructor(options: {
    code: CandidatesSourceErrorCode;
    file: string;
    line?: number;
    taskId?: string;
    message: string;
  }) {
    super({
      name: CandidatesSourceError.errorName,
      code: options.code,
      message: `${options.file}${options.line === undefined ? '' : `, line ${options.line}`}: ${options.message}`,
    });
    this.file = options.file;
    this.line = options.line ?? null;
    this.taskId = options.taskId ?? null;
  }

  static override isInstance(error: unknown): error is CandidatesSourceError {
    return AutoTrajError.isInstance(error) && error.name === CandidatesSourceError.errorName;
  }
}
