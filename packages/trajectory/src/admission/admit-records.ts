import { z } from 'zod';
import {
  type PreferencePair,
  preferencePairSchema,
  type RenderedText,
  type SftRecord,
  sftRecordSchema,
} from '../schemas/records.js';
import type { Trajectory } from '../schemas/trajectory.js';
import { type AdmissionCode, admissionReasonSchema, checkAdmission } from './admission-gate.js';

/**
 * What may be trained on: `well-formed` (the default everywhere: synthesis, train-sft, train-rm)
 * admits only records that pass `checkAdmission`; `none` admits every record, as the paper's
 * scripts do.
 */
export const admissionModes = ['well-formed', 'none'] as const;
export const admissionModeSchema = z.enum(admissionModes);
export type AdmissionMode = (typeof admissionModes)[number];

/**
 * A trajectory the admission gate refused (`dropped.jsonl` of synthesize, train-sft, train-rm):
 * the SFT record and / or the preference pair it would have been written or trained as, with
 * every reason. Nothing is lost: a user who wants it finds it here (or uses admission `none`).
 */
export const droppedRecordSchema = z
  .object({
    id: z.string().min(1),
    taskId: z.string().min(1),
    reasons: z.array(admissionReasonSchema).min(1),
    sft: sftRecordSchema.nullable(),
    pair: preferencePairSchema.nullable(),
  })
  .refine((r) => r.sft !== null || r.pair !== null, {
    message: 'a dropped record holds an SFT record, a pair or both',
  });
export type DroppedRecord = z.infer<typeof droppedRecordSchema>;

export interface AdmittedRecords {
  sft: SftRecord[];
  pairs: PreferencePair[];
  /** Refused records with their reasons (`dropped.jsonl`), so nothing is silently lost. */
  dropped: DroppedRecord[];
}

/**
 * The admission gate over one task's records, after the paper's keep / repair / accept
 * decisions (which it never changes). Each SFT record's rendered text is checked; a refused
 * accepted repair also takes its pair out, since the pair's chosen side is that trajectory.
 * The rejected side of a pair is not checked: it is the original candidate, and being badly
 * formed is part of why it is rejected.
 */
export function admitRecords(
  mode: AdmissionMode,
  question: string,
  sft: ReadonlyArray<SftRecord>,
  pairs: ReadonlyArray<PreferencePair>,
): AdmittedRecords {
  if (mode === 'none') return { sft: [...sft], pairs: [...pairs], dropped: [] };
  const pairByChosen = new Map(pairs.map((pair) => [pair.chosen.id, pair]));
  const refused = new Set<string>();
  const out: AdmittedRecords = { sft: [], pairs: [], dropped: [] };
  const check = (trajectory: Trajectory, rendered?: RenderedText) =>
    checkAdmission({ trajectory, question, ...(rendered === undefined ? {} : { rendered }) });
  // Admitted SFT text -> the record that holds it: a copy is dropped, its pair (a distinct
  // rejected side) is kept.
  const admittedText = new Map<string, string>();
  for (const record of sft) {
    const verdict = check(record.trajectory, record.rendered);
    if (verdict.admitted) {
      const first = admittedText.get(record.rendered.text);
      if (first === undefined) {
        admittedText.set(record.rendered.text, record.id);
        out.sft.push(record);
      } else
        out.dropped.push({
          id: `dropped_${record.trajectory.id}`,
          taskId: record.taskId,
          reasons: [
            {
              code: 'duplicate',
              message: `the same text as SFT record ${first}: it would be trained on twice`,
            },
          ],
          sft: record,
          pair: null,
        });
      continue;
    }
    refused.add(record.trajectory.id);
    out.dropped.push({
      id: `dropped_${record.trajectory.id}`,
      taskId: record.taskId,
      reasons: verdict.reasons,
      sft: record,
      pair: pairByChosen.get(record.trajectory.id) ?? null,
    });
  }
  const sftIds = new Set(sft.map((record) => record.trajectory.id));
  for (const pair of pairs) {
    if (refused.has(pair.chosen.id)) continue;
    // A pair whose chosen side is no SFT record of the task is checked on its own.
    if (!sftIds.has(pair.chosen.id)) {
      const verdict = check(pair.chosen);
      if (!verdict.admitted) {
        out.dropped.push({
          id: `dropped_${pair.chosen.id}`,
          taskId: pair.taskId,
          reasons: verdict.reasons,
          sft: null,
          pair,
        });
        continue;
      }
    }
    out.pairs.push(pair);
  }
  return out;
}

/** What the gate did to a set of records about to be trained on (training reports, summaries). */
export const admissionTallySchema = z.object({
  mode: admissionModeSchema,
  /** Records (SFT records or pairs) the gate was given, admitted and dropped. */
  given: z.number().int().nonnegative(),
  admitted: z.number().int().nonnegative(),
  dropped: z.number().int().nonnegative(),
  /** Dropped records by reason code; a record failing several checks counts under each. */
  droppedByReason: z.record(z.string(), z.number().int().nonnegative()),
});
export type AdmissionTally = z.infer<typeof admissionTallySchema>;

/** Dropped records by reason code (each code once per record), as synthesis counts them. */
export function countDroppedByReason(
  dropped: ReadonlyArray<DroppedRecord>,
): Partial<Record<AdmissionCode, number>> {
  const counts: Partial<Record<AdmissionCode, number>> = {};
  for (const record of dropped)
    for (const code of new Set(record.reasons.map((r) => r.code)))
      counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

/** Dropped records by reason as one phrase, most frequent first: `prose-arithmetic-error 2, duplicate 1`. */
export function formatDroppedByReason(byReason: Readonly<Record<string, number>>): string {
  return Object.entries(byReason)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
}

export interface AdmittedSet<T> {
  /** The admitted records, in the order given. */
  admitted: T[];
  dropped: DroppedRecord[];
  tally: AdmissionTally;
}

/** Records grouped by task, keeping the first question seen for each (what `admitRecords` reads). */
function byTask<T extends { taskId: string; question: string }>(records: ReadonlyArray<T>) {
  const tasks = new Map<string, { question: string; records: T[] }>();
  for (const record of records) {
    const task = tasks.get(record.taskId);
    if (task === undefined)
      tasks.set(record.taskId, { question: record.question, records: [record] });
    else task.records.push(record);
  }
  return tasks;
}

function admittedSet<T>(
  mode: AdmissionMode,
  given: ReadonlyArray<T>,
  admittedRecords: ReadonlySet<T>,
  dropped: DroppedRecord[],
): AdmittedSet<T> {
  const admitted = given.filter((record) => admittedRecords.has(record));
  return {
    admitted,
    dropped,
    tally: {
      mode,
      given: given.length,
      admitted: admitted.length,
      dropped: given.length - admitted.length,
      droppedByReason: countDroppedByReason(dropped),
    },
  };
}

/**
 * The admission gate over an SFT set about to be trained on (any source: an older synthesis, a
 * file edited by hand), task by task as synthesis runs it (`admitRecords`; a copy of an admitted
 * record's text within a task is dropped as `duplicate`). Order is kept.
 */
export function admitSftRecords(
  mode: AdmissionMode,
  records: ReadonlyArray<SftRecord>,
): AdmittedSet<SftRecord> {
  const admitted = new Set<SftRecord>();
  const dropped: DroppedRecord[] = [];
  for (const { question, records: task } of byTask(records).values()) {
    const result = admitRecords(mode, question, task, []);
    for (const record of result.sft) admitted.add(record);
    dropped.push(...result.dropped);
  }
  return admittedSet(mode, records, admitted, dropped);
}

/**
 * The admission gate over preference pairs about to be trained on: a pair is admitted when its
 * chosen side passes `checkAdmission` (the rejected side is not checked), as synthesis decides
 * (`admitRecords`). Order is kept.
 */
export function admitPreferencePairs(
  mode: AdmissionMode,
  pairs: ReadonlyArray<PreferencePair>,
): AdmittedSet<PreferencePair> {
  const admitted = new Set<PreferencePair>();
  const dropped: DroppedRecord[] = [];
  for (const { question, records: task } of byTask(pairs).values()) {
    const result = admitRecords(mode, question, [], task);
    for (const pair of result.pairs) admitted.add(pair);
    dropped.push(...result.dropped);
  }
  return admittedSet(mode, pairs, admitted, dropped);
}
