import { join } from 'node:path';
import type { z } from 'zod';
import { readJsonl } from './read-jsonl.js';
import { readExistingIds } from './resume.js';
import { createJsonlWriter, type JsonlWriter } from './write-jsonl.js';

/** One output file of a journal store and the records of an entry that belong in it. */
export interface JournalOutput<E> {
  /** File name inside the store's directory, e.g. `sft.jsonl`. */
  file: string;
  /** The entry's records for this file, in the order they are written; an id is written once. */
  records: (entry: E) => ReadonlyArray<{ readonly id: string }>;
}

export interface OpenJournalStoreOptions<S extends z.ZodType> {
  /** The job's directory (created if missing). */
  dir: string;
  /** The journal's file name inside `dir` (default `journal.jsonl`). */
  journal?: string;
  /** Every journal line is checked against it on open; a bad line throws `JsonlLineError`. */
  schema: S;
  /** The unit of work an entry finishes (a task id, ...): a rerun skips the keys in `done`. */
  key: (entry: z.output<S>) => string;
  /** Files the entries' records are copied to, after the journal line; none by default. */
  outputs?: ReadonlyArray<JournalOutput<z.output<S>>>;
}

/**
 * A resumable job's files: the journal (one line per finished unit of work) and the outputs
 * its entries are copied to. Only the store writes them while it is open.
 */
export interface JournalStore<E> {
  readonly dir: string;
  readonly journalPath: string;
  /** Every journaled entry by key (earlier runs first, then this one's as they are recorded). */
  readonly done: ReadonlyMap<string, E>;
  readonly closed: boolean;
  /** Journal an entry (one line, the unit of resumption), then append its records the outputs lack. */
  record(entry: E): void;
  /** Close every file, even if one fails (then the first failure is thrown); idempotent. */
  close(): void;
}

function closeAll(writers: ReadonlyArray<JsonlWriter<unknown>>): void {
  let failure: unknown;
  for (const writer of writers) {
    try {
      writer.close();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}

/**
 * Open (or resume) a journal store. A unit of work is done once its journal line is complete:
 * a partial last line a kill left in any file is cut, journaled entries come back in `done`,
 * and the outputs are topped up with whatever records a kill cut off between an entry's
 * journal line and its output lines, so every record ends up in its output exactly once.
 */
export async function openJournalStore<S extends z.ZodType>(
  options: OpenJournalStoreOptions<S>,
): Promise<JournalStore<z.output<S>>> {
  type E = z.output<S>;
  const { dir, key } = options;
  const journalPath = join(dir, options.journal ?? 'journal.jsonl');
  const writers: Array<JsonlWriter<unknown>> = [];
  const done = new Map<string, E>();
  const outputs: Array<{ spec: JournalOutput<E>; writer: JsonlWriter<unknown>; ids: Set<string> }> =
    [];
  const writeOutputs = (entry: E) => {
    for (const { spec, writer, ids } of outputs) {
      for (const record of spec.records(entry)) {
        if (ids.has(record.id)) continue;
        writer.write(record);
        ids.add(record.id);
      }
    }
  };
  let journal: JsonlWriter<unknown>;
  try {
    // Each writer is opened before its file is read: opening cuts a partial last line.
    journal = createJsonlWriter(journalPath);
    writers.push(journal);
    // Strict: a journal line that fails the schema is not a finished unit to silently redo.
    for await (const { value } of readJsonl(journalPath, { schema: options.schema }))
      done.set(key(value as E), value as E);
    for (const spec of options.outputs ?? []) {
      const path = join(dir, spec.file);
      const writer = createJsonlWriter(path);
      writers.push(writer);
      outputs.push({ spec, writer, ids: (await readExistingIds(path)).ids });
    }
    for (const entry of done.values()) writeOutputs(entry);
  } catch (error) {
    try {
      closeAll(writers);
    } catch {}
    throw error;
  }

  let closed = false;
  return {
    dir,
    journalPath,
    done,
    get closed() {
      return closed;
    },
    record(entry) {
      if (closed) throw new Error(`journal store for ${dir} is closed`);
      // Entries are not validated here (they are built from checked records); the schema checks them on open.
      journal.write(entry);
      writeOutputs(entry);
      done.set(key(entry), entry);
    },
    close() {
      if (closed) return;
      closed = true;
      closeAll(writers);
    },
  };
}
