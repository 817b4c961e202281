import { describe, expect, it } from 'vitest';
import { createFunctionScorer } from '../scorer.js';
import { trajectoryFromPolicyText } from '../text-trajectory.js';
import { createAutotrajReward } from './paper-reward.js';
import type { RewardItem } from './types.js';

const item = (text: string, gold: string | string[], dataSource = 'gsm8k'): RewardItem => ({
  trajectory: trajectoryFromPolicyText(text),
  text,
  question: 'Q',
  goldAnswers: Array.isArray(gold) ? gold : [gold],
  dataSource,
});

// RM score 1.5 for every trajectory, so the hand computation is explicit.
const reward = createAutotrajReward({ trajectoryModel: createFunctionScorer(() => 1.5) });

describe('createAutotrajReward with the evaluator checks', () => {
  it('scores the paper cases by hand', async () => {
    const good =
      '<think>6 times 7.</think><code>print(6*7)</code><result>42</result><answer>\\boxed{42}</answer>';
    const equivalent = '<think>Half.</think><answer>\\boxed{\\frac{1}{2}}</answer>';
    const wrong = '<think>6 times 7.</think><answer>\\boxed{41}</answer>';
    const noThink = 'Sure. <think>x</think><answer>\\boxed{42}</answer>';
    const tooMany = `<think>a</think>${'<code>print(1)</code><result>1</result>'.repeat(4)}<answer>\\boxed{42}</answer>`;
    const noResult = '<think>a</think><code>print(1)</code><answer>\\boxed{42}</answer>';
    const qa =
      '<think>Look it up.</think><search>capital of France</search><result>Paris is...</result><answer>\\boxed{Paris France}</answer>';
    const results = await reward.score([
      item(good, '42'),
      item(equivalent, '0.5'),
      item(wrong, '42'),
      item(noThink, '42'),
      item(tooMany, '42'),
      item(noResult, '42'),
      item(qa, ['Paris'], 'hotpotqa'),
    ]);
    const totals = results.map((r) => r.total);
    // 1 + 0.2 * 1.5 = 1.3 for both correct answers (equivalence, not string match).
    expect(totals[0]).toBeCloseTo(1.3, 6);
    expect(totals[1]).toBeCloseTo(1.3, 6);
    // wrong answer -> 0; format violations -> -1 (no <think> first, 4 calls > 3, call without result).
    expect(totals.slice(2, 6)).toEqual([0, -1, -1, -1]);
    // QA: F1("Paris France", "Paris") = 2/3; + 0.2 * 1.5 -> 0.9667.
    expect(totals[6]).toBeCloseTo(2 / 3 + 0.3, 6);
    expect(results[4]!.components).toMatchObject({ format: 0, formatViolations: 1, outcome: 1 });
  });
});
