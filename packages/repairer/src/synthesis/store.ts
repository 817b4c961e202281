import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openJournalStore } from '@autotraj/trajectory';
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
  /** Recorded tasks by task id: earlier runs', then this run's. */
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
  const journal = await openJournalStore({
    dir: outDir,
    schema: journalEntrySchema,
    key: (entry) => entry.taskId,
    outputs: SYNTHESIS_OUTPUTS.map((output) => ({
      file: `${output}.jsonl`,
      records: (entry: JournalEntry) => entry[output],
    })),
  });
  const counts = emptyCounts();
  for (const entry of journal.done.values()) addEntry(counts, entry);

  const assertOpen = () => {
    if (journal.closed) throw new Error(`synthesis store for ${outDir} is closed`);
  };
  return {
    outDir,
    done: journal.done,
    counts,
    get closed() {
      return journal.closed;
    },
    record(entry) {
      assertOpen();
      journal.record(entry);
      addEntry(counts, entry);
    },
    writeManifest(manifest) {
      assertOpen();
      const path = join(outDir, 'manifest.json');
      writeFileSync(`${path}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
      renameSync(`${path}.tmp`, path);
    },
    close: () => journal.close(),
  };
}
