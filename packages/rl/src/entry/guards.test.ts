import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isRewardItem, rewardItemSchema } from './checked-reward.js';
import {
  advantageOptionsSchema,
  areAdvantageOptions,
  areNumbers,
  rewardsSchema,
} from './checked-rows.js';

// The hand-written checks on the reward path may say no to a valid value (zod then parses it
// and names any problem), never yes to one the schema rejects or would change. Every value
// below is tried in every field, singly and in pairs.
const values: unknown[] = [
  undefined,
  null,
  '',
  'x',
  0,
  -1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  [],
  ['a', 'b'],
  ['a', 1],
  [1, 2],
  // biome-ignore lint/suspicious/noSparseArray: a hole is one of the cases
  ['a', , 'b'],
  {},
  { a: 1 },
  () => 1,
  new Date(0),
];
// The trajectory is parsed by its own guard (proven in @autotraj/trajectory): any value here.
const itemSchema = rewardItemSchema.extend({ trajectory: z.string() });
const base = { trajectory: 'checked apart', goldAnswers: ['42'], question: 'q' };
const keys = [...Object.keys(rewardItemSchema.shape), 'extra', 'gold'];

function agrees(item: unknown) {
  if (!isRewardItem(item)) return 0;
  const parsed = itemSchema.safeParse({ ...(item as object), trajectory: 'checked apart' });
  expect(parsed.success, JSON.stringify(item)).toBe(true);
  expect(parsed.data).toStrictEqual({ ...(item as object), trajectory: 'checked apart' });
  return 1;
}

describe('hand-written reward-path checks agree with their schemas', () => {
  it('reward items: one or two fields set to any value, or removed', () => {
    let accepted = 0;
    let tried = 0;
    for (const a of keys)
      for (const va of values) {
        tried++;
        accepted += agrees({ ...base, [a]: va });
        for (const b of keys)
          for (const vb of values) {
            tried++;
            accepted += agrees({ ...base, [a]: va, [b]: vb });
          }
      }
    for (const key of keys) {
      const { [key as 'question']: _gone, ...rest } = base;
      accepted += agrees(rest);
    }
    for (const value of values) agrees(value);
    // Both answers occur: the check is not trivially yes or no.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(tried / 2);
  });

  it('group rewards', () => {
    for (const a of values)
      for (const b of values) {
        const rewards = [a, b];
        if (areNumbers(rewards)) expect(rewardsSchema.parse(rewards)).toStrictEqual(rewards);
      }
    for (const value of values)
      if (areNumbers(value)) expect(rewardsSchema.parse(value)).toStrictEqual(value);
    expect(areNumbers([0, -1.5])).toBe(true);
  });

  it('advantage options: each key set to any value, and unknown keys', () => {
    const candidates = [...values, 'grpo', 'dr-grpo', 'rloo', 'sample', 'population', 1e-6];
    let accepted = 0;
    for (const key of ['estimator', 'std', 'epsilon', 'estimater'])
      for (const value of candidates)
        for (const other of [{}, { estimator: 'rloo' }, { std: 'population', epsilon: 0 }]) {
          const options = { ...other, [key]: value };
          if (!areAdvantageOptions(options)) continue;
          accepted++;
          expect(advantageOptionsSchema.parse(options)).toStrictEqual(options);
        }
    for (const value of values) if (areAdvantageOptions(value)) advantageOptionsSchema.parse(value);
    expect(accepted).toBeGreaterThan(10);
  });
});
