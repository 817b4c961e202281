import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { validate } from '../validate.js';
import { OutputWriteError } from './output-write-error.js';

export interface JsonlWriterOptions<S extends z.ZodType | undefined> {
  /** Validate each record before it is written; a bad record throws and nothing is written. */
  schema?: S;
  /** fsync after every N records (default 0: only on `flush`/`close`). */
  fsyncEvery?: number;
}

export interface JsonlWriter<T> {
  readonly path: string;
  /** Records appended by this writer. */
  readonly written: number;
  /** Bytes of a partial last line, left by a killed writer, that were cut on open. */
  readonly repairedBytes: number;
  write(record: T): void;
  /** Make everything written so far durable (fsync). */
  flush(): void;
  close(): void;
}

/** Bytes at the end of the file after its last newline (a line cut off by a kill). */
function partialTailLength(fd: number, size: number): number {
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const read = readSync(fd, chunk, 0, end - start, start);
    const nl = chunk.subarray(0, read).lastIndexOf(0x0a);
    if (nl >= 0) return size - (start + nl + 1);
    end = start;
  }
  return size;
}

/**
 * Writes one line whole or not at all. write(2) may write part of it (a disk filling up writes
 * what fits, then fails with ENOSPC): the part is cut off again, so no partial line is left for
 * a later record to be appended to, and the failure is an {@link OutputWriteError}.
 */
function appendLine(fd: number, path: string, line: Buffer, start: number): void {
  let done = 0;
  try {
    while (done < line.length) done += writeSync(fd, line, done, line.length - done);
  } catch (cause) {
    if (done > 0)
      try {
        ftruncateSync(fd, start);
      } catch {
        // The file keeps a partial last line; opening it again cuts that (see below).
      }
    throw new OutputWriteError({ file: path, cause });
  }
}

/** fsync; some filesystems report a full disk only here (delayed allocation, NFS). */
function sync(fd: number, path: string): void {
  try {
    fsyncSync(fd);
  } catch (cause) {
    throw new OutputWriteError({ file: path, cause });
  }
}

/**
 * Append-only JSONL writer. Each record goes out as one complete line in a single write, so a
 * killed process leaves at most one partial line; on open that partial line is cut (it was
 * never completed, so a resumed job redoes that record) before anything is appended.
 */
export function createJsonlWriter<S extends z.ZodType | undefined = undefined>(
  path: string,
  options: JsonlWriterOptions<S> = {},
): JsonlWriter<S extends z.ZodType ? z.input<S> : unknown> {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a+');
  const size = fstatSync(fd).size;
  const repairedBytes = size > 0 ? partialTailLength(fd, size) : 0;
  if (repairedBytes > 0) ftruncateSync(fd, size - repairedBytes);
  // Where the next line starts: this writer is the file's only writer while it is open.
  let end = size - repairedBytes;
  let written = 0;
  let closed = false;
  const fsyncEvery = options.fsyncEvery ?? 0;

  return {
    path,
    get written() {
      return written;
    },
    repairedBytes,
    write(record) {
      if (closed) throw new Error(`JSONL writer for ${path} is closed`);
      const value =
        options.schema === undefined
          ? record
          : validate(options.schema, record, { location: { file: path } });
      const line = Buffer.from(`${JSON.stringify(value)}\n`);
      appendLine(fd, path, line, end);
      end += line.length;
      written++;
      if (fsyncEvery > 0 && written % fsyncEvery === 0) sync(fd, path);
    },
    flush() {
      if (!closed) sync(fd, path);
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        sync(fd, path);
      } finally {
        closeSync(fd);
      }
    },
  };
}
