import {
  AutoTrajError,
  createRejectsFile,
  detectRecordFormat,
  isTrajectoryRecordFormat,
  JsonlLineError,
  readJsonl,
  recordToTrajectories,
  type SourcedTrajectory,
  type TrajectoryRecordFormat,
  trajectoryRecordFormats,
} from '@autotraj/trajectory';
import { CliError } from './cli-error.js';

export interface TrajectoryInputOptions {
  path: string;
  /** A record layout, or `auto` to detect it from the first record. */
  from: string;
  strict: boolean;
  rejectsPath: string;
}

export interface TrajectoryInputStats {
  format: TrajectoryRecordFormat | null;
  lines: number;
  rejected: number;
}

function checkFormat(from: string): TrajectoryRecordFormat | 'auto' {
  if (from === 'auto' || isTrajectoryRecordFormat(from)) return from;
  throw new CliError({
    message: `unknown input format "${from}"; expected auto or one of ${trajectoryRecordFormats.join(', ')}`,
    exitCode: 2,
  });
}

/**
 * Stream trajectories out of a JSONL file in any supported layout. Lines that cannot be read
 * or converted go to the rejects file (lenient) or stop the run (strict); never dropped.
 */
export async function* readTrajectoryInput(
  options: TrajectoryInputOptions,
  stats: TrajectoryInputStats,
): AsyncGenerator<SourcedTrajectory & { line: number }> {
  let format = checkFormat(options.from);
  let rejects: ReturnType<typeof createRejectsFile> | null = null;
  const reject = (error: JsonlLineError, raw: string) => {
    rejects ??= createRejectsFile(options.rejectsPath);
    rejects(error, raw);
    stats.rejected++;
  };
  try {
    const records = readJsonl(
      options.path,
      options.strict ? {} : { mode: 'lenient', onReject: reject },
    );
    for await (const { value, line } of records) {
      stats.lines++;
      if (format === 'auto') {
        const detected = detectRecordFormat(value);
        if (detected === null) {
          throw new CliError({
            message: `${options.path}, line ${line}: cannot tell the record format; pass --from (one of ${trajectoryRecordFormats.join(', ')})`,
          });
        }
        format = detected;
      }
      stats.format = format;
      let converted: SourcedTrajectory[];
      try {
        converted = recordToTrajectories(format, value, { file: options.path, line });
      } catch (error) {
        if (!AutoTrajError.isInstance(error) || CliError.isInstance(error)) throw error;
        const lineError = new JsonlLineError({
          kind: 'invalid-record',
          location: { file: options.path, line },
          detail: error.message,
          cause: error,
        });
        if (options.strict) throw lineError;
        reject(lineError, JSON.stringify(value));
        continue;
      }
      for (const item of converted) yield { ...item, line };
    }
  } finally {
    (rejects as ReturnType<typeof createRejectsFile> | null)?.close();
  }
}
