import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createJsonlWriter,
  type JsonlWriter,
  readExistingIds,
  readJsonl,
} from '@autotraj/trajectory';
import { type JournalEntry, journalEntrySchema } from './synthesis-records.js';

/** The per-record output files of a synthesis job, besides the journal. */
export const SYNTHESIS_OUTPUTS = ['candidates', 'sft', 'pairs', 'hard'] as const;
export type SynthesisOutput = (typeof SYNTHESIS_OUTPUTS)[number];

export interface SynthesisCounts {
  tasks: number;
  candidates: number;
  kept: number;
  repairAccepted: number;
  hard: number;
  discarded: number;
  sft: number;
  pairs: number;
}

export const emptyCounts = (): SynthesisCounts => ({
  tasks: 0,
  candidates: 0,
  kept: 0,
  repairAccepted: 0,
  hard: 0,
  discarded: 0,
  sft: 0,
  pairs: 0,
});

function addEntry(counts: SynthesisCounts, entry: JournalEntry): void {
  counts.tasks++;
  counts.candidates += entry.candidates.length;
  counts.kept += entry.sft.filter((r) => r.origin === 'kept').length;
  counts.repairAccepted += entry.sft.filter((r) => r.origin === 'repaired').length;
  counts.hard += entry.hard.length;
  counts.discarded += entry.stats.discarded;
  counts.sft += entry.sft.length;
  counts.pairs += entry.pairs.length;
}

/**
 * The files of one synthesis job: `journal.jsonl` (one line per finished task, the unit of
 * resumption), the four output files and `manifest.json`. Only the store writes to `outDir`.
 */
export interface SynthesisStore {
  readonly outDir: string;
  /** Tasks finished by earlier runs, by task id. */
  readonly done: ReadonlyMap<string, JournalEntry>;
  /** Counts over every recorded task, earlier runs included. */
  readonly counts: SynthesisCounts;
  readonly closed: boolean;
  /** Journal a finished task, then append whatever of its records the outputs lack. */
  record(entry: JournalEntry): void;
  /** Replace `manifest.json` atomically (write to a temporary file, then rename). */
  writeManifest(manifest: unknown): void;
  /** Close every writer (idempotent); any later `record` throws. */
  close(): void;
}

/**
 * Open (or resume) the store in `outDir`: completed tasks come from the journal, and outputs
 * are topped up with anything a kill cut off between the journal line and the output lines.
 */
export async function openSynthesisStore(outDir: string): Promise<SynthesisStore> {
  const journalPath = join(outDir, 'journal.jsonl');
  // Opening a writer cuts a partial last line a kill left, so the journal reads clean.
  createJsonlWriter(journalPath).close();
  const done = new Map<string, JournalEntry>();
  for await (const { value } of readJsonl(journalPath, { schema: journalEntrySchema }))
    done.set(value.taskId, value);

  const writers: Array<JsonlWriter<unknown>> = [];
  const outputs = {} as Record<SynthesisOutput, { writer: JsonlWriter<unknown>; ids: Set<string> }>;
  let journal: JsonlWriter<unknown>;
  try {
    for (const output of SYNTHESIS_OUTPUTS) {
      const path = join(outDir, `${output}.jsonl`);
      // The writer first: opening it cuts a partial last line before the ids are read.
      const writer = createJsonlWriter(path);
      writers.push(writer);
      outputs[output] = { writer, ids: (await readExistingIds(path)).ids };
    }
    // Entries are built from records validated as they were made; the schema checks them on read.
    journal = createJsonlWriter(journalPath);
    writers.push(journal);
  } catch (error) {
    for (const writer of writers) writer.close();
    throw error;
  }

  let closed = false;
  const assertOpen = () => {
    if (closed) throw new Error(`synthesis store for ${outDir} is closed`);
  };
  const writeOutputs = (entry: JournalEntry) => {
    const records: Record<SynthesisOutput, ReadonlyArray<{ id: string }>> = {
      candidates: entry.candidates,
      sft: entry.sft,
      pairs: entry.pairs,
      hard: entry.hard,
    };
    for (const output of SYNTHESIS_OUTPUTS) {
      const { writer, ids } = outputs[output];
      for (const record of records[output]) {
        if (ids.has(record.id)) continue;
        writer.write(record);
        ids.add(record.id);
      }
    }
  };
  const counts = emptyCounts();
  try {
    for (const entry of done.values()) {
      writeOutputs(entry);
      addEntry(counts, entry);
    }
  } catch (error) {
    for (const writer of writers) writer.close();
    throw error;
  }

  return {
    outDir,
    done,
    counts,
    get closed() {
      return closed;
    },
    record(entry) {
      assertOpen();
      journal.write(entry);
      writeOutputs(entry);
      addEntry(counts, entry);
    },
    writeManifest(manifest) {
      assertOpen();
      const path = join(outDir, 'manifest.json');
      writeFileSync(`${path}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
      renameSync(`${path}.tmp`, path);
    },
    close() {
      if (closed) return;
      closed = true;
      // Close all, even if one fails, then report the first failure.
      let failure: unknown;
      for (const writer of writers) {
        try {
          writer.close();
        } catch (error) {
          failure ??= error;
        }
      }
      if (failure !== undefined) throw failure;
    },
  };
}
