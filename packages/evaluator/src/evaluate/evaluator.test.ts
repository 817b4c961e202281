import {
  dimensionScoreSchema,
  type Task,
  type Trajectory,
  tagCodec,
  taskSchema,
  trajectoryFromSteps,
} from '@autotraj/trajectory';
import { afterAll, describe, expect, it } from 'vitest';
import { EvaluatorError } from '../errors.js';
import { stopComparisonWorker } from '../verify/deadline.js';
import { acceptRepair } from './accept-repair.js';
import { createEvaluator } from './create-evaluator.js';
import { PAPER_THRESHOLDS } from './presets.js';
import { selectCandidates } from './selection.js';

afterAll(() => stopComparisonWorker());

const task: Task = taskSchema.parse({
  id: 'task-1',
  question: 'What is 6 * 7?',
  goldAnswers: ['42'],
  dataSource: 'math',
});

function tagged(text: string, id: string): Trajectory {
  return trajectoryFromSteps(tagCodec.parse(text), { taskId: task.id, id });
}

const concise = tagged(
  '<think>Multiply six by seven.</think>\n<code>print(6*7)</code>\n<result>42</result>\n<answer>\\boxed{42}</answer>',
  'concise',
);
const hedging = tagged(
  '<think>Maybe multiply six by seven, I think it probably works out to be some number near forty.</think>\n<code>print(6*7)</code>\n<result>42</result>\n<answer>\\boxed{42}</answer>',
  'hedging',
);
// Longer than `concise`, so `concise` stays the length reference (L0 is the group's shortest).
const wrong = tagged(
  '<think>Add six and seven together, as the question asks for the total of the two.</think>\n<answer>\\boxed{13}</answer>',
  'wrong',
);

describe('createEvaluator (paper preset)', () => {
  it('exposes the paper formula and thresholds', () => {
    const evaluator = createEvaluator();
    expect(evaluator.preset).toBe('paper');
    expect(evaluator.weights).toEqual({ confidence: 0.4, length: 0.3, repetition: 0.3 });
    expect(evaluator.thresholds).toEqual({
      keepAll: 0.9,
      keepBest: 0.86,
      acceptLowQuality: 0.86,
      acceptWrongAnswer: 0.8,
    });
  });

  it('scores quality as 0.4 confidence + 0.3 length + 0.3 repetition on the tag rendering', async () => {
    const evaluator = createEvaluator();
    const report = await evaluator.evaluate({
      task,
      trajectory: hedging,
      group: [concise, hedging],
    });
    const { confidence, length, repetition } = report.dimensions;
    expect(confidence!.score).toBe(0);
    expect(report.quality).toBeCloseTo(0.4 * 0 + 0.3 * length!.score + 0.3 * repetition!.score, 12);
    expect(length!.score).toBeLessThan(1);
    expect(report.correct).toBe(true);
    expect(report.diagnostics.map((d) => d.code)).toContain('confidence/uncertainty-word');
  });

  it('decides keep / repair per query with reasons', async () => {
    const evaluator = createEvaluator();
    const { reports, decisions } = await evaluator.evaluateGroup({
      task,
      candidates: [concise, hedging, wrong],
    });
    expect(reports.map((r) => r.correct)).toEqual([true, true, false]);
    expect(decisions.map((d) => d.action)).toEqual(['keep', 'repair', 'repair']);
    expect(decisions[1]!.reason).toMatch(/^low-quality/);
    expect(decisions[2]!.reason).toBe('wrong-answer');
  });

  it('autotraj: discards exact duplicates and empty trajectories', async () => {
    const evaluator = createEvaluator({ preset: 'autotraj' });
    const duplicate = { ...concise, id: 'dup' };
    const empty = trajectoryFromSteps(
      { steps: [], finalAnswer: null },
      { taskId: task.id, id: 'empty' },
    );
    const { decisions } = await evaluator.evaluateGroup({
      task,
      candidates: [concise, duplicate, empty],
    });
    expect(decisions.map((d) => [d.trajectoryId, d.action])).toEqual([
      ['concise', 'keep'],
      ['dup', 'discard'],
      ['empty', 'discard'],
    ]);
  });

  it('applies the repair acceptance thresholds (0.86 low quality, 0.8 wrong answer)', () => {
    const evaluator = createEvaluator();
    expect(
      evaluator.acceptRepair({
        original: { correct: false, quality: 0.5 },
        repaired: { correct: true, quality: 0.82 },
      }).accepted,
    ).toBe(true);
    expect(
      evaluator.acceptRepair({
        original: { correct: true, quality: 0.5 },
        repaired: { correct: true, quality: 0.82 },
      }).accepted,
    ).toBe(false);
    expect(
      evaluator.acceptRepair({
        original: { correct: true, quality: 0.9 },
        repaired: { correct: true, quality: 0.88 },
      }),
    ).toMatchObject({ accepted: false, threshold: 0.86 });
    expect(
      acceptRepair({
        original: { correct: true, quality: 0.5 },
        repaired: { correct: false, quality: 0.99 },
      }),
    ).toMatchObject({ accepted: false, reason: 'repaired answer is wrong' });
  });
});

describe('createEvaluator (autotraj preset)', () => {
  it('`full` is the earlier name of autotraj', () => {
    expect(createEvaluator({ preset: 'full' }).preset).toBe('autotraj');
  });

  it('computes every rule dimension and weighs them', async () => {
    const evaluator = createEvaluator({ preset: 'autotraj' });
    const report = await evaluator.evaluate({ task, trajectory: concise });
    expect(Object.keys(report.dimensions).sort()).toEqual([
      'confidence',
      'consistency',
      'correctness',
      'format',
      'length',
      'repetition',
      'toolValidity',
    ]);
    expect(report.quality).toBeGreaterThan(0.9);
    for (const dimension of Object.values(report.dimensions))
      expect(dimensionScoreSchema.parse(dimension)).toEqual(dimension);
    const broken = tagged('Sure. <code>print(6*7)</code>\n<answer>42</answer>', 'broken');
    const brokenReport = await evaluator.evaluate({ task, trajectory: broken });
    expect(brokenReport.dimensions.format!.score).toBeLessThan(1);
    expect(brokenReport.quality).toBeLessThan(report.quality);
  });

  it('rejects unknown presets, dimensions and bad weights', () => {
    expect(() => createEvaluator({ preset: 'nope' as 'paper' })).toThrow(EvaluatorError);
    expect(() => createEvaluator({ dimensions: ['judge'] })).toThrow(/judge/);
    expect(() => createEvaluator({ weights: { format: -1 } })).toThrow(/non-negative/);
  });
});

describe('selectCandidates', () => {
  const report = (trajectoryId: string, correct: boolean | null, quality: number) => ({
    trajectoryId,
    correct,
    quality,
    dimensions: {},
    diagnostics: [],
  });

  it('keeps all when every correct candidate reaches keepAll', () => {
    const decisions = selectCandidates([report('a', true, 0.95), report('b', true, 0.91)], {
      thresholds: PAPER_THRESHOLDS,
    });
    expect(decisions.map((d) => d.action)).toEqual(['keep', 'keep']);
  });

  it('repairs all when even the best is below keepBest', () => {
    const decisions = selectCandidates([report('a', true, 0.85), report('b', true, 0.5)], {
      thresholds: PAPER_THRESHOLDS,
    });
    expect(decisions.map((d) => d.action)).toEqual(['repair', 'repair']);
  });
});
