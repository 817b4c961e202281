import { AutoTrajError, type InputLocation } from '@autotraj/trajectory';

function where(location: InputLocation): string {
  const parts: string[] = [];
  if (location.file !== undefined) parts.push(location.file);
  if (location.line !== undefined) parts.push(`line ${location.line}`);
  if (location.path !== undefined && location.path !== '') parts.push(`field ${location.path}`);
  return parts.join(', ');
}

export type BenchmarkErrorCode =
  | 'benchmark_failed'
  | 'unreadable_file'
  | 'bad_line'
  | 'duplicate_id'
  | 'unknown_benchmark'
  | 'invalid_option'
  | 'duplicate_record'
  | 'mixed_kinds'
  | 'bad_manifest'
  // A public function's input failed its schema (the message names the function and field).
  | 'invalid_input';

/**
 * A benchmark file, an evaluation directory or an option is wrong: an unknown benchmark name,
 * a bad line (file, line and field named), a duplicate record, settings that differ from the
 * run being resumed.
 */
export class BenchmarkError extends AutoTrajError {
  static readonly errorName = 'AutoTrajBenchmarkError';
  declare readonly code: BenchmarkErrorCode;
  readonly location: InputLocation;

  constructor(options: {
    message: string;
    code?: BenchmarkErrorCode;
    location?: InputLocation;
    cause?: unknown;
  }) {
    const at = options.location === undefined ? '' : where(options.location);
    super({
      name: BenchmarkError.errorName,
      code: options.code ?? 'benchmark_failed',
      message: at === '' ? options.message : `${at}: ${options.message}`,
      cause: options.cause,
    });
    this.location = options.location ?? {};
  }

  static override isInstance(error: unknown): error is BenchmarkError {
    return AutoTrajError.isInstance(error) && error.name === BenchmarkError.errorName;
  }
}
