import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AutoTrajError, readJsonl } from '@autotraj/trajectory';
import { compareIds } from '@autotraj/trajectory/internal';
import { RunMergeError } from './merge-error.js';

/** One line of an input JSONL with what the canonical order sorts on. */
export interface RecordLine {
  /** The record's task (`taskId`, or `benchmark/questionId` for eval records). */
  key: string;
  /** Its own index within the task (a candidate's `index`, an eval sample), else its position. */
  index: number;
  /** Unique across the merged file (`id`). */
  id: string;
  value: Record<string, unknown>;
  dir: string;
  line: number;
}

export interface ReadRecordsOptions {
  dir: string;
  file: string;
  /** The fields that identify a record; missing ones are an error naming the line. */
  keyOf: (value: Record<string, unknown>) => { key: unknown; id: unknown; index?: unknown };
}

/** Every record of `<dir>/<file>`, with its sort key; a bad line is an error naming it. */
export async function readRecords(options: ReadRecordsOptions): Promise<RecordLine[]> {
  const path = join(options.dir, options.file);
  if (!existsSync(path))
    throw new RunMergeError({
      reason: 'file-missing',
      dir: options.dir,
      field: options.file,
      message: 'missing (every finished run of this kind writes it, empty or not)',
    });
  const out: RecordLine[] = [];
  try {
    for await (const { value, line } of readJsonl(path)) {
      const record = value as Record<string, unknown>;
      const { key, id, index } = options.keyOf(record);
      if (
        typeof key !== 'string' ||
        typeof id !== 'string' ||
        (index !== undefined && typeof index !== 'number')
      )
        throw new RunMergeError({
          reason: 'record-invalid',
          dir: options.dir,
          field: `${options.file} line ${line}`,
          message: 'a record without its id / task fields',
        });
      out.push({ key, id, index: index ?? out.length, value: record, dir: options.dir, line });
    }
  } catch (error) {
    if (RunMergeError.isInstance(error) || !AutoTrajError.isInstance(error)) throw error;
    throw new RunMergeError({
      reason: 'record-invalid',
      dir: options.dir,
      field: options.file,
      message: error.message,
    });
  }
  return out;
}

/** The canonical order: by task key (code units), then the record's own index. */
export function canonicalOrder(records: RecordLine[]): RecordLine[] {
  return records.sort((a, b) => compareIds(a.key, b.key) || a.index - b.index);
}

/** Ids unique across every input, else an error naming both places. */
export function checkUniqueIds(records: ReadonlyArray<RecordLine>, file: string): void {
  const seen = new Map<string, RecordLine>();
  for (const record of records) {
    const other = seen.get(record.id);
    if (other !== undefined)
      throw new RunMergeError({
        reason: 'record-duplicate',
        dir: record.dir,
        field: `${file} line ${record.line}`,
        message: `record ${record.id} is also at ${other.dir}/${file} line ${other.line}`,
      });
    seen.set(record.id, record);
  }
}

/** Write records as JSONL, one JSON.stringify per line (what every AutoTraj writer writes). */
export function writeRecords(path: string, records: ReadonlyArray<{ value: unknown }>): void {
  const fd = openSync(path, 'w');
  try {
    let chunk = '';
    for (const record of records) {
      chunk += `${JSON.stringify(record.value)}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    if (chunk !== '') writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}
