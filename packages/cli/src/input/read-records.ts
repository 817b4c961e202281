import { rmSync } from 'node:fs';
import {
  AutoTrajError,
  createRejectsFile,
  JsonlLineError,
  readJsonl,
  type Task,
} from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';
import { type CliIo, println } from '../io.js';
import {
  describeKind,
  detectInputKind,
  type InputKind,
  inputKinds,
  isInputKind,
  type RecordTrajectory,
  recordTrajectories,
} from './record-kinds.js';

export interface RecordInputOptions {
  path: string;
  /** A record kind or layout, or `auto` to detect it from the first record. */
  from: string;
  strict: boolean;
  rejectsPath: string;
  /** Return quietly (kind stays null) when the first record is of no kind the CLI reads. */
  skipUnknown?: boolean;
}

/** What reading one file did: the summary every reading command prints. */
export interface RecordInputStats {
  file: string;
  kind: InputKind | null;
  /** Non-blank lines read. */
  lines: number;
  /** Lines read into records. */
  records: number;
  rejected: number;
  /** Where rejected lines went; null when none was rejected. */
  rejectsPath: string | null;
}

export interface InputRecord {
  line: number;
  value: Record<string, unknown>;
  kind: InputKind;
  trajectories: RecordTrajectory[];
  /** The task the record defines (task files, GSM8K problems, ToRA), if any. */
  task: Task | null;
}

export function newStats(file: string): RecordInputStats {
  return { file, kind: null, lines: 0, records: 0, rejected: 0, rejectsPath: null };
}

/** Check a `--from` value: `auto`, a record kind or a trajectory layout (usage error otherwise). */
export function checkFrom(from: string): string {
  if (from === 'auto' || isInputKind(from)) return from;
  throw new CliError({
    message: `unknown --from "${from}"; expected auto or one of ${inputKinds.join(', ')}`,
    exitCode: 2,
  });
}

/**
 * Stream the records of a JSONL file of any kind the project writes or reads (detected from the
 * first record unless `from` names it). Lines that cannot be read or do not fit the kind's schema
 * go to the rejects file (lenient) or stop the run (strict); never dropped.
 */
export async function* readRecords(
  options: RecordInputOptions,
  stats: RecordInputStats,
): AsyncGenerator<InputRecord> {
  let kind = checkFrom(options.from);
  // A rejects file from an earlier run would otherwise be appended to.
  rmSync(options.rejectsPath, { force: true });
  let rejects: ReturnType<typeof createRejectsFile> | null = null;
  const reject = (error: JsonlLineError, raw: string) => {
    rejects ??= createRejectsFile(options.rejectsPath);
    stats.rejectsPath = options.rejectsPath;
    rejects(error, raw);
    stats.rejected++;
  };
  try {
    const lines = readJsonl(
      options.path,
      options.strict ? {} : { mode: 'lenient', onReject: reject },
    );
    for await (const { value, line } of lines) {
      if (kind === 'auto') {
        const detected = detectInputKind(value);
        if (detected === null) {
          if (options.skipUnknown) return;
          throw new CliError({
            message: `${options.path}, line ${line}: not a record autotraj reads (${inputKinds.join(', ')}); pass --from to name the layout`,
          });
        }
        kind = detected;
      }
      stats.kind = kind;
      const location = { file: options.path, line };
      let read: ReturnType<typeof recordTrajectories>;
      try {
        read = recordTrajectories(kind, value, location);
      } catch (error) {
        if (!AutoTrajError.isInstance(error) || CliError.isInstance(error)) throw error;
        const lineError = new JsonlLineError({
          kind: 'invalid-record',
          location,
          detail: error.message,
          cause: error,
        });
        if (options.strict) throw lineError;
        reject(lineError, JSON.stringify(value));
        continue;
      }
      stats.records++;
      yield { line, value: value as Record<string, unknown>, kind, ...read };
    }
  } finally {
    // Lines readJsonl rejected (bad JSON) were counted by `reject`, not in the loop.
    stats.lines = stats.records + stats.rejected;
    (rejects as ReturnType<typeof createRejectsFile> | null)?.close();
  }
}

/** The trajectories of every record, flattened, with the record's line. */
export async function* readTrajectoryInput(
  options: RecordInputOptions,
  stats: RecordInputStats,
): AsyncGenerator<RecordTrajectory & { line: number; kind: InputKind }> {
  for await (const record of readRecords(options, stats))
    for (const item of record.trajectories)
      yield { ...item, task: item.task ?? record.task, line: record.line, kind: record.kind };
}

/** `candidates.jsonl: 16 records (synthesis candidates ...)`, for the start of a file's output. */
export function describeInput(stats: RecordInputStats): string {
  return `${stats.file}: ${stats.records} records, ${stats.kind === null ? 'kind unknown' : describeKind(stats.kind)}`;
}

/**
 * Say what was rejected and where it went (stderr); a file whose every line was rejected is a
 * failure (exit 1), never a silent success.
 */
export function reportRejects(io: CliIo, stats: RecordInputStats, command: string): void {
  if (stats.rejected === 0) return;
  println(
    io.stderr,
    `autotraj ${command}: ${stats.rejected} of ${stats.lines} lines of ${stats.file} rejected -> ${stats.rejectsPath}`,
  );
}

/** Throw (exit 1) when some input had lines and none of them could be read. */
export function failIfAllRejected(all: ReadonlyArray<RecordInputStats>): void {
  const bad = all.filter((s) => s.rejected > 0 && s.records === 0);
  if (bad.length === 0) return;
  throw new CliError({
    message: bad
      .map((s) => `every line of ${s.file} was rejected (${s.rejected}); see ${s.rejectsPath}`)
      .join('\n'),
  });
}
