import { AutoTrajError } from '@autotraj/trajectory';

/** Why shard directories cannot be joined; `dir` and `field` say where. */
export type RunMergeReason =
  | 'manifest-missing'
  | 'manifest-invalid'
  | 'kind-mixed'
  | 'kind-unknown'
  | 'settings-differ'
  | 'shard-duplicate'
  | 'shard-missing'
  | 'shard-incomplete'
  | 'task-outside-shard'
  | 'task-duplicate'
  | 'task-missing'
  | 'record-invalid'
  | 'record-duplicate'
  | 'record-stray'
  | 'count-mismatch'
  | 'file-missing'
  | 'out-exists'
  /** `mergeRuns` was given options that fail their schema (a misspelt key, a wrong type). */
  | 'options-invalid';

/** Shard outputs that do not join exactly: named by directory and manifest field or file. */
export class RunMergeError extends AutoTrajError {
  static readonly errorName = 'AutoTrajRunMergeError';
  declare readonly code: 'run_merge_failed';
  readonly reason: RunMergeReason;
  /** The input (or output) directory at fault, when one is. */
  readonly dir: string | null;
  /** The manifest field or file at fault, e.g. `config.model`, `sft.jsonl`. */
  readonly field: string | null;

  constructor(options: {
    reason: RunMergeReason;
    dir?: string;
    field?: string;
    message: string;
  }) {
    const where = [options.dir, options.field].filter((part) => part !== undefined).join(': ');
    super({
      name: RunMergeError.errorName,
      code: 'run_merge_failed',
      message: `merge: ${where === '' ? '' : `${where}: `}${options.message}`,
    });
    this.reason = options.reason;
    this.dir = options.dir ?? null;
    this.field = options.field ?? null;
  }

  static override isInstance(error: unknown): error is RunMergeError {
    return AutoTrajError.isInstance(error) && error.name === RunMergeError.errorName;
  }
}
