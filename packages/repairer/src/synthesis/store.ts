import { join } from 'node:path';
import {
  type AdmissionCode,
  admissionCodes,
  openJournalStore,
  RUN_FILES,
  SYNTHESIS_OUTPUTS,
  type SynthesisManifest,
  writeJsonAtomic,
} from '@autotraj/trajectory';
import {
  findFabricatedToolOutputUnchecked as findFabricatedToolOutput,
  findTrajectoryTextFormToolCallsUnchecked as findTrajectoryTextFormToolCalls,
} from '@autotraj/trajectory/internal';
import { type JournalEntry, journalEntrySchema } from './synthesis-records.js';

export interface SynthesisCounts {
  tasks: number;
  candidates: number;
  kept: number;
  repairAccepted: number;
  hard: number;
  discarded: number;
  sft: number;
  pairs: number;
  /** SFT records the admission gate kept out of `sft.jsonl` (they are in `dropped.jsonl`). */
  droppedSft: number;
  /** Preference pairs it kept out of `pairs.jsonl` (their chosen side was refused). */
  droppedPairs: number;
  /**
   * Kept candidates the gate refused that went to the repairer (`repairRefused`), and the
   * repairs of them accepted (their pairs have `source` `admission`; the gate may still refuse
   * a repair, which counts here and in `droppedSft`).
   */
  refusedKeptRepairs: number;
  refusedKeptRepaired: number;
  /** Refused trajectories by reason; one can fail several checks, so these may sum to more. */
  droppedByReason: Record<AdmissionCode, number>;
  /**
   * Candidates with a tool call written as text that nothing ran (offered native tools, a
   * ```python block or call JSON in the reasoning): the model wanted the tool and did not get it.
   */
  candidatesWithTextFormToolCalls: number;
  /** Candidates with tool output the model wrote itself (the gate keeps them out of training). */
  candidatesWithFabricatedToolOutput: number;
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
  droppedSft: 0,
  droppedPairs: 0,
  refusedKeptRepairs: 0,
  refusedKeptRepaired: 0,
  droppedByReason: Object.fromEntries(admissionCodes.map((code) => [code, 0])) as Record<
    AdmissionCode,
    number
  >,
  candidatesWithTextFormToolCalls: 0,
  candidatesWithFabricatedToolOutput: 0,
});

function addEntry(counts: SynthesisCounts, entry: JournalEntry): void {
  counts.tasks++;
  counts.candidates += entry.candidates.length;
  // Kept and accepted are the paper's decisions: records the gate dropped count here too.
  const decided = [...entry.sft, ...entry.dropped.flatMap((d) => (d.sft === null ? [] : [d.sft]))];
  counts.kept += decided.filter((r) => r.origin === 'kept').length;
  counts.repairAccepted += decided.filter((r) => r.origin === 'repaired').length;
  counts.hard += entry.hard.length;
  counts.discarded += entry.stats.discarded;
  counts.sft += entry.sft.length;
  counts.pairs += entry.pairs.length;
  counts.droppedSft += entry.dropped.filter((d) => d.sft !== null).length;
  counts.droppedPairs += entry.dropped.filter((d) => d.pair !== null).length;
  counts.refusedKeptRepairs += entry.stats.refusedKeptRepairs;
  counts.refusedKeptRepaired += [
    ...entry.pairs,
    ...entry.dropped.flatMap((d) => (d.pair === null ? [] : [d.pair])),
  ].filter((pair) => pair.source === 'admission').length;
  // A new object each time: copies of the counts handed out earlier stay as they were.
  const byReason = { ...counts.droppedByReason };
  for (const dropped of entry.dropped)
    for (const code of new Set(dropped.reasons.map((r) => r.code))) byReason[code]++;
  counts.droppedByReason = byReason;
  for (const { trajectory } of entry.candidates) {
    if (findTrajectoryTextFormToolCalls(trajectory).length > 0)
      counts.candidatesWithTextFormToolCalls++;
    if (findFabricatedToolOutput(trajectory).length > 0)
      counts.candidatesWithFabricatedToolOutput++;
  }
}

/**
 * The files of one synthesis job: `journal.jsonl` (one line per finished task, the unit of
 * resumption), the output files (`dropped.jsonl`: what the admission gate refused) and
 * `manifest.json`. Only the store writes to `outDir`.
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
  writeManifest(manifest: SynthesisManifest): void;
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
      file: RUN_FILES[output],
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
      writeJsonAtomic(join(outDir, RUN_FILES.manifest), manifest);
    },
    close: () => journal.close(),
  };
}
