import {
  type ScoreItem,
  SOURCE_TEXT_KEY,
  type TrajectoryScorer,
  tagCodec,
  trajectoryFromText,
} from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { RlConfigError, ScorerOutputError } from '../errors.js';
import { createFunctionScorer } from '../scorer.js';
import { simpleFormatCheck, tagTrajectory } from '../test-support.js';
import { createReward } from './create-reward.js';
import { mathOutcome, outcomeByDataSource, qaF1Outcome } from './outcomes.js';
import type { RewardItem } from './types.js';

/** Exact-string "equivalence" stands in for the evaluator's verifier in these unit tests. */
const exactMath = mathOutcome({
  verify: ({ gold, pred }) => ({ equivalent: gold.trim() === pred.trim() }),
});

/** A scorer returning a fixed RM score per trajectory id, and recording what it was asked. */
function fixedScorer(
  byAnswer: Record<string, number>,
): TrajectoryScorer & { calls: Array<ReadonlyArray<ScoreItem>> } {
  const calls: Array<ReadonlyArray<ScoreItem>> = [];
  const inner = createFunctionScorer((item) => byAnswer[item.trajectory.finalAnswer ?? ''] ?? 0);
  return {
    calls,
    score: (items) => {
      calls.push(items);
      return inner.score(items);
    },
    close: inner.close,
  };
}

const item = (answer: string | null, gold = '42', extra: Partial<RewardItem> = {}): RewardItem => ({
  trajectory: tagTrajectory({ answer, salt: `${answer}-${Math.random()}` }),
  goldAnswers: [gold],
  ...extra,
});

describe('createReward, paper preset', () => {
  it('matches hand-computed totals', async () => {
    // RM scores keyed by the final answer so each case is explicit.
    const scorer = fixedScorer({ '42': 2, '042': -3 });
    const reward = createReward({
      preset: 'paper',
      format: simpleFormatCheck,
      outcome: exactMath,
      trajectoryModel: scorer,
    });
    const [correct, wrong, formatBad] = await reward.score([
      item('42'), // correct: 1 + 0.2 * 2 = 1.4
      item('41'), // wrong answer -> 0, RM not consulted
      item(null), // no <answer>: format violation -> -1
    ]);
    expect(correct!.total).toBeCloseTo(1.4, 6);
    expect(correct!.components).toMatchObject({
      format: 1,
      formatViolations: 0,
      outcome: 1,
      trajectoryModel: 2,
    });
    expect(correct!.components.trajectoryModelBonus).toBeCloseTo(0.4, 6);
    expect(wrong).toEqual({ total: 0, components: { format: 1, formatViolations: 0, outcome: 0 } });
    expect(formatBad).toEqual({
      total: -1,
      components: { format: 0, formatViolations: 1, outcome: 0 },
    });
    // One batched RM call, only for the trajectory that needed it, with its question.
    expect(scorer.calls).toHaveLength(1);
    expect(scorer.calls[0]!.map((c) => [c.question, c.trajectory.finalAnswer])).toEqual([
      ['What is 6*7?', '42'],
    ]);
  });

  it('never goes below the outcome and clips to [-3, 3]', async () => {
    const scorer = fixedScorer({ '42': -4, '7': 50 });
    const reward = createReward({
      format: simpleFormatCheck,
      outcome: exactMath,
      trajectoryModel: scorer,
    });
    const [negativeRm, hugeRm] = await reward.score([item('42'), item('7', '7')]);
    // 1 + 0.2 * -4 = 0.2 -> floored at the outcome 1.
    expect(negativeRm!.total).toBe(1);
    expect(negativeRm!.components.trajectoryModelBonus).toBe(0);
    // 1 + 0.2 * 50 = 11 -> clipped to 3.
    expect(hugeRm!.total).toBe(3);
    expect(hugeRm!.components.trajectoryModelBonus).toBe(2);
  });

  it('a format violation is -1 even when the answer is right; the RM is not consulted', async () => {
    const scorer = fixedScorer({ '42': 2 });
    const reward = createReward({
      format: simpleFormatCheck,
      outcome: exactMath,
      trajectoryModel: scorer,
    });
    // Raw text that does not start with <think> (the policy's words, checked verbatim).
    const [r] = await reward.score([
      item('42', '42', { text: 'Sure! <think>x</think><answer>\\boxed{42}</answer>' }),
    ]);
    expect(r).toEqual({ total: -1, components: { format: 0, formatViolations: 1, outcome: 1 } });
    expect(scorer.calls).toHaveLength(0);
  });

  it('checks the text the generation loop kept (metadata.sourceText), not the repaired steps', async () => {
    // Words before <think>: the tag codec parses them into a think step, so the steps rendered
    // again start with <think> and would pass; the text the model wrote does not.
    const written = 'Sure! <think>Compute it.</think><answer>\\boxed{42}</answer>';
    const { trajectory } = trajectoryFromText(written, {
      format: 'tags',
      taskId: 'task-1',
      question: 'What is 6*7?',
    });
    expect(tagCodec.render(trajectory.steps).startsWith('<think>')).toBe(true);
    const kept = {
      ...trajectory,
      metadata: { ...trajectory.metadata, [SOURCE_TEXT_KEY]: written },
    };
    const reward = createReward({ format: simpleFormatCheck, outcome: exactMath });
    const [fromSource, fromSteps] = await reward.score([
      { trajectory: kept, goldAnswers: ['42'] },
      { trajectory, goldAnswers: ['42'] },
    ]);
    expect(fromSource).toEqual({
      total: -1,
      components: { format: 0, formatViolations: 1, outcome: 1 },
    });
    expect(fromSteps!.total).toBe(1);
  });

  it('QA F1 outcomes add the RM term in proportion to a positive F1', async () => {
    const f1 = (pred: string, golds: string[]) =>
      golds.includes(pred) ? 1 : pred === 'Paris France' ? 0.5 : 0;
    const outcome = outcomeByDataSource({ math: exactMath, qa: qaF1Outcome({ f1 }) });
    const reward = createReward({
      format: simpleFormatCheck,
      outcome,
      trajectoryModel: fixedScorer({ 'Paris France': 1 }),
    });
    const [partial, math] = await reward.score([
      item('Paris France', 'Paris', { dataSource: 'hotpotqa' }),
      item('Paris France', 'Paris', { dataSource: 'gsm8k' }),
    ]);
    // F1 0.5 + 0.2 * 1 = 0.7; as math it is simply wrong -> 0.
    expect(partial!.total).toBeCloseTo(0.7, 6);
    expect(partial!.components.outcome).toBe(0.5);
    expect(math!.total).toBe(0);
  });

  it('without a reward model or format check the total is the outcome', async () => {
    const reward = createReward({ outcome: exactMath });
    expect((await reward.score([item('42'), item('1')])).map((r) => r.total)).toEqual([1, 0]);
  });

  it('custom weights, no clip and an always-on RM', async () => {
    const reward = createReward({
      outcome: exactMath,
      trajectoryModel: fixedScorer({ '1': 10 }),
      weights: { trajectoryModel: 0.5 },
      clip: null,
      trajectoryModelWhen: 'always',
      floorAtOutcome: false,
    });
    // wrong answer, RM consulted anyway: 0 + 0.5 * 10 = 5, unclipped.
    const [r] = await reward.score([item('1')]);
    expect(r!.total).toBe(5);
  });

  it('rejects bad options and bad scorer output with typed errors', async () => {
    expect(() => createReward({ outcome: exactMath, clip: [3, -3] })).toThrow(RlConfigError);
    // A JavaScript caller who forgets the outcome hears it at creation, naming the option.
    expect(() => createReward({} as never)).toThrow(/outcome: must be a function/);
    expect(() => createReward({ outcome: exactMath, weights: { outcome: Number.NaN } })).toThrow(
      /weights.outcome/,
    );
    const short: TrajectoryScorer = {
      score: async () => new Float32Array(0),
      close: async () => {},
    };
    await expect(
      createReward({ outcome: exactMath, trajectoryModel: short }).score([item('42')]),
    ).rejects.toThrow(ScorerOutputError);
    const nan: TrajectoryScorer = {
      score: async (xs) => new Float32Array(xs.length).fill(Number.NaN),
      close: async () => {},
    };
    await expect(
      createReward({ outcome: exactMath, trajectoryModel: nan }).score([item('42')]),
    ).rejects.toThrow(/non-finite/);
  });
});

describe('outcome functions from @autotraj/evaluator', () => {
  it('math equivalence accepts equivalent forms and QA F1 gives partial credit', async () => {
    const math = mathOutcome();
    expect(await math(item('0.5', '\\frac{1}{2}'))).toBe(1);
    expect(await math(item('42.0', '42'))).toBe(1);
    expect(await math(item('41', '42'))).toBe(0);
    expect(await math(item(null))).toBe(0);
    const qa = outcomeByDataSource();
    // "Paris France" vs "Paris": precision 1/2, recall 1 -> F1 2/3.
    expect(await qa(item('Paris France', 'Paris', { dataSource: 'hotpotqa' }))).toBeCloseTo(
      2 / 3,
      6,
    );
    expect(await qa(item('the Paris', 'Paris', { dataSource: 'musique_ans' }))).toBe(1);
    expect(await qa(item('Paris France', 'Paris', { dataSource: 'math' }))).toBe(0);
  });
});
