import {
  checkAdmission,
  type PreferencePair,
  type RenderedText,
  type SftRecord,
  type Trajectory,
} from '@autotraj/trajectory';
import { RepairerConfigError } from '../errors.js';
import type { DroppedRecord } from './synthesis-records.js';

/**
 * What synthesis lets into `sft.jsonl` and `pairs.jsonl`: `well-formed` (the default, in every
 * preset) admits only records that pass `checkAdmission`; `none` writes every kept trajectory
 * and accepted repair, as the paper's scripts do.
 */
export const admissionModes = ['well-formed', 'none'] as const;
export type AdmissionMode = (typeof admissionModes)[number];

/** The option's value checked (default `well-formed`); anything else is a config error. */
export function resolveAdmissionMode(value: unknown): AdmissionMode {
  if (value === undefined) return 'well-formed';
  if ((admissionModes as ReadonlyArray<unknown>).includes(value)) return value as AdmissionMode;
  throw new RepairerConfigError({
    message: `unknown admission ${JSON.stringify(value)} (expected ${admissionModes.join(' or ')})`,
  });
}

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
  for (const pair of pairs) {
    if (refused.has(pair.chosen.id)) continue;
    // A pair whose chosen side is no SFT record of the task is checked on its own.
    if (!sft.some((record) => record.trajectory.id === pair.chosen.id)) {
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
