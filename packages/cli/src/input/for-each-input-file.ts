import { rmSync } from 'node:fs';
import { createJsonlWriter, type JsonlWriter } from '@autotraj/trajectory';
import { type CliIo, println } from '../io.js';
import { type InputFile, isEmptyFile, outputFor, type ResolvedInput } from './input-files.js';
import {
  describeInput,
  failIfAllRejected,
  type InputRecord,
  newStats,
  type RecordInputStats,
  readRecords,
  reportRejects,
} from './read-records.js';

/** One input file as the callbacks of `forEachInputFile` see it. */
export interface InputFileContext {
  file: InputFile;
  /** Where this file's output goes: `--out` itself, or `--out/<name>` for a run directory. */
  out: string;
  /** Filled in as `records` is read. */
  stats: RecordInputStats;
  /** The file's records, read once; bad lines go to `<out>.rejects.jsonl` (or stop, strict). */
  records: AsyncGenerator<InputRecord>;
  /**
   * Remove what an earlier run left at `out` and open it for writing. Closed once the callback
   * that opened it returns; removed again if the file turns out to be skipped.
   */
  openOutput(): JsonlWriter<unknown>;
}

export interface ForEachInputFileOptions<T> {
  io: CliIo;
  /** How messages name the command (`autotraj <command>: skipped ...`). */
  command: string;
  input: ResolvedInput;
  /** The command's `--out` (a file, or for a run directory a directory), `--from`, `--strict`. */
  flags: { out: string; from: string; strict?: boolean | undefined };
  /** Head each file's output on stdout with its name and kind (run directories only). */
  heading: boolean;
  /** Read the file's records (writing what streams); returns what `report` needs. */
  read(file: InputFileContext): Promise<T>;
  /** For a file that was read (not skipped): finish its output and print its summary. */
  report(file: InputFileContext, read: T): Promise<void> | void;
}

/**
 * What every reading command does per input file: read it (a run directory's files whose kind is
 * not detected are skipped, saying so), head and report it, say what was rejected; then fail if
 * some file had every line rejected. Files are processed in order, so a file's outputs are
 * complete before the next is read.
 */
export async function forEachInputFile<T>(options: ForEachInputFileOptions<T>): Promise<void> {
  const { io, input, flags } = options;
  const all: RecordInputStats[] = [];
  for (const file of input.files) {
    const out = outputFor(input, file, flags.out);
    const stats = newStats(file.path);
    // In an object, not a `let`: openOutput sets it from a callback, out of sight of narrowing.
    const output: { writer: JsonlWriter<unknown> | null } = { writer: null };
    const context: InputFileContext = {
      file,
      out,
      stats,
      records: readRecords(
        {
          path: file.path,
          from: flags.from,
          strict: flags.strict ?? false,
          rejectsPath: `${out}.rejects.jsonl`,
          skipUnknown: input.runDir !== null,
        },
        stats,
      ),
      openOutput() {
        rmSync(out, { force: true });
        output.writer = createJsonlWriter(out);
        return output.writer;
      },
    };
    let read: T;
    try {
      read = await options.read(context);
    } finally {
      output.writer?.close();
    }
    if (stats.kind === null && input.runDir !== null) {
      // Only an output this run opened goes; one it never touched stays as it was.
      if (output.writer !== null) rmSync(out, { force: true });
      if (stats.rejected > 0) {
        // Not a foreign file: no line could even be read (all broken JSON). That fails below.
        all.push(stats);
        reportRejects(io, stats, options.command);
        continue;
      }
      println(
        io.stderr,
        `autotraj ${options.command}: skipped ${file.path} (${isEmptyFile(file.path) ? 'empty' : 'not a record autotraj reads'})`,
      );
      continue;
    }
    all.push(stats);
    if (options.heading && input.runDir !== null)
      println(io.stdout, `\n== ${describeInput(stats)}`);
    try {
      await options.report(context, read);
    } finally {
      output.writer?.close();
    }
    reportRejects(io, stats, options.command);
  }
  failIfAllRejected(all);
}
