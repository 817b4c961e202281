import type { JsonlLineError } from '../errors.js';
import type { RejectSink } from './read-jsonl.js';
import { createJsonlWriter } from './write-jsonl.js';

/** One rejected input line as written to a rejects file. */
export interface RejectRecord {
  file?: string;
  line?: number;
  path?: string;
  kind: string;
  message: string;
  issues: { path: string; message: string }[];
  /** The raw line, cut to 1000 characters. */
  raw: string;
}

export function rejectRecord(error: JsonlLineError, raw: string): RejectRecord {
  return {
    ...error.location,
    kind: error.kind,
    message: error.message,
    issues: error.issues,
    raw,
  };
}

/**
 * A reject sink that appends each bad line to a JSONL file and counts them, so lenient runs
 * leave a record of everything they did not use.
 */
export function createRejectsFile(
  path: string,
): RejectSink & { readonly count: number; close(): void } {
  const writer = createJsonlWriter(path);
  let count = 0;
  const sink = ((error: JsonlLineError, raw: string) => {
    writer.write(rejectRecord(error, raw));
    count++;
  }) as RejectSink & { readonly count: number; close(): void };
  Object.defineProperty(sink, 'count', { get: () => count });
  sink.close = () => writer.close();
  return sink;
}
