import { readFileSync } from 'node:fs';
import { type SftRecord, sftRecordSchema } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { RlConfigError, SftInputError } from '../errors.js';
import { prepareSftTraining } from './prepare-sft.js';

// Real Qwen2.5-Coder-1.5B SFT records written by a synthesis run before today's rules (see
// fixtures/README.md): lines 3 and 4 box 10.0, line 5 writes $50 + $15 + $30 = $105, line 8 is a
// second copy of line 7's greedy repair.
const file = new URL('../../fixtures/qwen-sft-admission.jsonl', import.meta.url).pathname;
const records: SftRecord[] = readFileSync(file, 'utf8')
  .trim()
  .split('\n')
  .map((line) => sftRecordSchema.parse(JSON.parse(line)));
const ids = (list: ReadonlyArray<{ id: string }>) => list.map((r) => r.id);
const completions = (set: { rows: Array<{ completion: Array<{ content: string }> }> }) =>
  set.rows.map((row) => row.completion[0]!.content);

describe('prepareSftTraining: the admission gate before any training', () => {
  it('leaves out the records an older synthesis let in, each with its code', async () => {
    const set = await prepareSftTraining({ records: file });
    expect(completions(set)).toEqual(
      [records[0]!, records[1]!, records[5]!, records[6]!].map((r) => r.rendered.text),
    );
    expect(set.admission).toEqual({
      mode: 'well-formed',
      given: 8,
      admitted: 4,
      dropped: 4,
      droppedByReason: { 'whole-number-as-decimal': 2, 'prose-arithmetic-error': 1, duplicate: 1 },
    });
    // The dropped records are the records themselves, with the reasons (dropped.jsonl's shape).
    expect(set.dropped.map((d) => [d.sft?.id, d.reasons.map((r) => r.code)])).toEqual([
      [records[2]!.id, ['whole-number-as-decimal']],
      [records[3]!.id, ['whole-number-as-decimal']],
      [records[4]!.id, ['prose-arithmetic-error']],
      [records[7]!.id, ['duplicate']],
    ]);
    expect(set.dropped[2]!.reasons[0]!.message).toContain('$50 + $15 + $30 = $105');
    expect(set.dropped.every((d) => d.pair === null)).toBe(true);
    expect(set.duplicates).toEqual([]);
  });

  it('admission none trains on every record (the trainer still leaves the exact copy out)', async () => {
    const set = await prepareSftTraining({ records: file, admission: 'none' });
    expect(set.admission).toMatchObject({ mode: 'none', given: 8, admitted: 8, dropped: 0 });
    expect(set.dropped).toEqual([]);
    expect(set.rows).toHaveLength(7);
    expect(set.duplicates).toEqual([`${file}:8 (${records[7]!.id})`]);
  });

  it('gates after the origin filter and says how many each removed', async () => {
    const kept = await prepareSftTraining({ records, origin: 'kept' });
    expect(kept.removedByOrigin).toBe(4);
    expect(kept.origin).toBe('kept');
    expect(kept.admission).toMatchObject({ given: 4, admitted: 2, dropped: 2 });
    expect(ids(kept.dropped.map((d) => d.sft!))).toEqual([records[2]!.id, records[4]!.id]);
    const repaired = await prepareSftTraining({ records, origin: 'repaired' });
    expect(repaired.removedByOrigin).toBe(4);
    expect(ids(repaired.dropped.map((d) => d.sft!))).toEqual([records[3]!.id, records[7]!.id]);
  });

  it('a set the gate refuses entirely is an SftInputError before training, naming the codes', async () => {
    const bad = [records[2]!, records[4]!];
    const error = await prepareSftTraining({ records: bad }).catch((e: unknown) => e);
    expect(SftInputError.isInstance(error)).toBe(true);
    expect((error as SftInputError).code).toBe('sft_input_invalid');
    expect((error as Error).message).toBe(
      'records: the admission gate refused all 2 SFT records (prose-arithmetic-error 1, whole-number-as-decimal 1): nothing well-formed to train on (admission none trains on them as they are)',
    );
    expect((await prepareSftTraining({ records: bad, admission: 'none' })).rows).toHaveLength(2);
  });

  it('an unknown admission is an RlConfigError naming the option', async () => {
    const error = await prepareSftTraining({ records, admission: 'strict' as never }).catch(
      (e: unknown) => e,
    );
    expect(RlConfigError.isInstance(error)).toBe(true);
    expect((error as RlConfigError).option).toBe('admission');
  });
});
