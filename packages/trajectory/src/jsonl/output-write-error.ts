import { AutoTrajError } from '../errors.js';

export type OutputWriteErrorCode = 'disk_full' | 'write_failed';

/**
 * An output file could not be written: the disk (or quota) is full, or the write failed
 * otherwise. The file is left as it was before the record (no partial line), so a rerun after
 * space is freed resumes with nothing lost or duplicated.
 */
export class OutputWriteError extends AutoTrajError {
  static readonly errorName = 'AutoTrajOutputWriteError';
  declare readonly code: OutputWriteErrorCode;
  readonly file: string;
  /** The system's error code (`ENOSPC`, `EDQUOT`, `EIO`, ...). */
  readonly errno: string | undefined;

  constructor(options: { file: string; cause: unknown }) {
    const errno = (options.cause as { code?: unknown } | null)?.code;
    const sys = typeof errno === 'string' ? errno : undefined;
    const full = sys === 'ENOSPC' || sys === 'EDQUOT';
    super({
      name: OutputWriteError.errorName,
      code: full ? 'disk_full' : 'write_failed',
      message: full
        ? `${options.file}: the disk is full (${sys}); nothing partial was kept: free space and rerun the same command to resume`
        : `${options.file}: writing failed (${(options.cause as Error)?.message ?? String(options.cause)}); nothing partial was kept: rerun the same command to resume`,
      cause: options.cause,
    });
    this.file = options.file;
    this.errno = sys;
  }

  static override isInstance(error: unknown): error is OutputWriteError {
    return AutoTrajError.hasName(error, OutputWriteError.errorName);
  }
}
