import {
  type AdmissionMode,
  type AdmissionTally,
  admissionModes,
  type DroppedRecord,
  formatDroppedByReason,
  RUN_DEFAULTS,
  readJsonl,
  type SftRecord,
  sftRecordSchema,
} from '@autotraj/trajectory';
// Unchecked: the records were just read with sftRecordSchema, and the admitted ones must be
// the very objects read (their places in the file are looked up by identity).
import { admitSftRecordsUnchecked as admitSftRecords } from '@autotraj/trajectory/internal';
import { type TrlSftRow, toTrlSftRow } from '../bridges/trl.js';
import { RlConfigError, SftInputError } from '../errors.js';

export interface PrepareSftOptions {
  /**
   * SFT records, or the path of a JSONL file of them (`sft.jsonl` of `synthesize`); errors name
   * a file's records by line (`sft.jsonl:12`).
   */
  records: ReadonlyArray<SftRecord> | string;
  /** Train only on `kept` records (the select-by-score baseline) or only on `repaired` ones. */
  origin?: 'kept' | 'repaired';
  /**
   * The admission gate over the records (after the origin filter): `well-formed` (default)
   * leaves out every record `checkAdmission` refuses (`@autotraj/trajectory`; the rules
   * synthesis writes through today, so a set written before a rule existed is checked by it
   * too), and a copy of an admitted record's text within a task (`duplicate`); `none` trains on
   * every record.
   */
  admission?: AdmissionMode;
}

/** What an SFT training run would train on, and what it leaves out and why. */
export interface SftTrainingSet {
  /** The rows handed to the trainer, in the order given. */
  rows: TrlSftRow[];
  /** Records read. */
  records: number;
  /** The origin filter (null: all records) and how many records it left out. */
  origin: 'kept' | 'repaired' | null;
  removedByOrigin: number;
  /** The admission gate's figures over the records the origin filter passed. */
  admission: AdmissionTally;
  /** The records the gate refused, with their reasons (`dropped.jsonl`). */
  dropped: DroppedRecord[];
  /** Admitted records left out as exact copies of an earlier one (prompt, completion, mask), by place. */
  duplicates: string[];
}

function resolveAdmission(value: unknown): AdmissionMode {
  if (value === undefined) return RUN_DEFAULTS.admission;
  if ((admissionModes as ReadonlyArray<unknown>).includes(value)) return value as AdmissionMode;
  throw new RlConfigError({
    option: 'admission',
    message: `unknown admission ${JSON.stringify(value)} (expected ${admissionModes.join(' or ')})`,
  });
}

/**
 * The preparation step of `trainSft`, run before any model loads (and alone by `train-sft
 * --dry-run`): read and check the records, apply the origin filter, then the admission gate, and
 * check every admitted record can be trained on: the prompt (masked) is not empty, and the
 * completion holds text the model wrote (tool output is masked, so a completion of tool output
 * alone would train nothing). Throws `SftInputError` when nothing is left to train on.
 */
export async function prepareSftTraining(options: PrepareSftOptions): Promise<SftTrainingSet> {
  const admission = resolveAdmission(options.admission);
  const source = options.records;
  const where = typeof source === 'string' ? source : 'records';
  const records: SftRecord[] = [];
  const places = new Map<SftRecord, string>();
  if (typeof source === 'string') {
    for await (const { value, line } of readJsonl(source, { schema: sftRecordSchema })) {
      records.push(value);
      places.set(value, `${source}:${line}`);
    }
  } else
    source.forEach((record, i) => {
      records.push(record);
      places.set(record, `record ${i + 1}`);
    });
  const picked = records.filter(
    (record) => options.origin === undefined || record.origin === options.origin,
  );
  const withOrigin = options.origin === undefined ? '' : ` with origin ${options.origin}`;
  if (picked.length === 0)
    throw new SftInputError({ where, message: `no SFT records${withOrigin} to train on` });
  const gated = admitSftRecords(admission, picked);
  if (gated.admitted.length === 0)
    throw new SftInputError({
      where,
      message: `the admission gate refused all ${picked.length} SFT records${withOrigin} (${formatDroppedByReason(gated.tally.droppedByReason)}): nothing well-formed to train on (admission none trains on them as they are)`,
    });
  const seen = new Set<string>();
  const rows: TrlSftRow[] = [];
  const duplicates: string[] = [];
  for (const record of gated.admitted) {
    const row = toTrlSftRow(record);
    const at = `${places.get(record)} (${record.id})`;
    if (row.prompt.every((m) => m.content.trim() === ''))
      throw new SftInputError({
        where: at,
        message: 'the prompt is empty: nothing to condition on',
      });
    const text = row.completion[0]?.content ?? '';
    const toolChars = row.tool_spans.reduce((n, [s, e]) => n + (e - s), 0);
    if (text.trim() === '' || text.length - toolChars === 0)
      throw new SftInputError({
        where: at,
        message: 'the completion has no model-written text (nothing for the loss)',
      });
    for (const [s, e] of row.tool_spans)
      if (!(s >= 0 && e >= s && e <= text.length))
        throw new SftInputError({
          where: at,
          message: `tool span [${s}, ${e}) is outside the rendered text (${text.length} characters): the loss mask does not match the text`,
        });
    // A copy (e.g. the same greedy repair of both failed candidates) would count twice.
    const key = JSON.stringify([row.prompt, row.completion, row.tool_spans]);
    if (seen.has(key)) duplicates.push(at);
    else {
      seen.add(key);
      rows.push(row);
    }
  }
  return {
    rows,
    records: records.length,
    origin: options.origin ?? null,
    removedByOrigin: records.length - picked.length,
    admission: gated.tally,
    dropped: gated.dropped,
    duplicates,
  };
}
