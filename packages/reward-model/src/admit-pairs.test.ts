import { readFileSync } from 'node:fs';
import { preferencePairSchema } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { admitTrainingPairs } from './admit-pairs.js';
import { TrainingError } from './errors.js';
import { realPairs } from './test-support/real-pairs.js';

// Real Qwen2.5-Coder-1.5B pairs written by a synthesis before today's rules (fixtures/README.md).
const pairs = readFileSync(
  new URL('../fixtures/qwen-pairs-admission.jsonl', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n')
  .map((line) => preferencePairSchema.parse(JSON.parse(line)));

describe('admitTrainingPairs', () => {
  it('leaves out the pairs whose chosen side the gate refuses today, with the reasons', () => {
    const gated = admitTrainingPairs(pairs);
    expect(gated.tally).toEqual({
      mode: 'well-formed',
      given: 12,
      admitted: 8,
      dropped: 4,
      droppedByReason: { 'whole-number-as-decimal': 2, 'prose-arithmetic-error': 3 },
    });
    // Order kept; the dropped ones are the pairs themselves (dropped.jsonl's shape).
    expect(gated.admitted).toEqual(pairs.filter((p) => !gated.dropped.some((d) => d.pair === p)));
    expect(gated.dropped.map((d) => d.pair?.chosen.id)).toEqual(
      [0, 9, 10, 11].map((i) => pairs[i]!.chosen.id),
    );
    expect(gated.dropped[0]!.reasons[0]!.message).toContain('\\boxed{10.0}');
  });

  it('admission none keeps every pair', () => {
    const gated = admitTrainingPairs(pairs, { admission: 'none' });
    expect(gated.admitted).toEqual(pairs);
    expect(gated.tally).toMatchObject({ mode: 'none', dropped: 0 });
  });

  it('a set refused entirely, or an unknown mode, is a TrainingError naming the parameter', () => {
    // GSM8K's own solutions are not in the tag form the gate reads: every chosen side is refused.
    const gsm8k = realPairs().gsm8k.slice(0, 20);
    const error = (() => {
      try {
        admitTrainingPairs(gsm8k);
      } catch (e) {
        return e;
      }
    })();
    expect(TrainingError.isInstance(error)).toBe(true);
    expect((error as TrainingError).parameter).toBe('pairs');
    expect((error as Error).message).toMatch(
      /^the admission gate refused the chosen side of all 20 preference pairs \(answer-not-boxed 20, paper-format 20/,
    );
    expect(() => admitTrainingPairs(pairs, { admission: 'strict' as never })).toThrow(
      expect.objectContaining({ parameter: 'admission' }),
    );
    expect(admitTrainingPairs([]).admitted).toEqual([]);
  });
});
