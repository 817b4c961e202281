import { gsm8kModelSolutionTrajectories, toraTrajectory } from '@autotraj/trajectory';
import { afterAll, describe, expect, it } from 'vitest';
import { createEvaluator } from './evaluate/create-evaluator.js';
import { readSharedJsonl } from './test-support/shared-data.js';
import { stopComparisonWorker } from './verify/deadline.js';

afterAll(() => stopComparisonWorker());

/** `gold vs answer (label)` of every solution whose verdict differs from its label. */
const KNOWN_GSM8K_DISAGREEMENTS: string[] = [];
const KNOWN_TORA_DISAGREEMENTS: string[] = [];

describe('real data', () => {
  it('GSM8K model solutions: correctness agrees with is_correct on all 2,640 and consistency flags wrong calculator results', () => {
    const evaluator = createEvaluator({ preset: 'full' });
    let total = 0;
    let agree = 0;
    let flagged = 0;
    let unverifiable = 0;
    const disagreements: string[] = [];
    for (const raw of readSharedJsonl('gsm8k/model-solutions.dev.jsonl')) {
      const { task, solutions } = gsm8kModelSolutionTrajectories(raw);
      const group = solutions.map((solution) => solution.trajectory);
      for (const solution of solutions) {
        const report = evaluator.evaluateSync({ task, trajectory: solution.trajectory, group });
        total++;
        if (report.correct === solution.isCorrect) agree++;
        else
          disagreements.push(
            `${task.goldAnswers[0]} vs ${solution.trajectory.finalAnswer} (label ${solution.isCorrect})`,
          );
        if (report.diagnostics.some((d) => d.code === 'consistency/calculator-mismatch')) flagged++;
        if (report.diagnostics.some((d) => d.code === 'consistency/calculator-unverifiable'))
          unverifiable++;
      }
    }
    console.log(
      `GSM8K: correctness agrees on ${agree}/${total}; ${flagged} solutions have wrong recorded calculator results, ${unverifiable} have annotations that do not evaluate`,
    );
    for (const line of disagreements) console.log(`  disagreement: ${line}`);
    expect(total).toBe(2640);
    // Pinned: the known disagreements with the labels (none today); a new one fails.
    expect(disagreements).toEqual(KNOWN_GSM8K_DISAGREEMENTS);
    expect(agree).toBe(total - KNOWN_GSM8K_DISAGREEMENTS.length);
    // The measured counts (README): 21 wrong recorded results, 12 that do not evaluate.
    expect([flagged, unverifiable]).toEqual([21, 12]);
  });

  it('flags exactly the annotations whose recorded result differs from re-execution', () => {
    const evaluator = createEvaluator({ preset: 'full' });
    const { task } = gsm8kModelSolutionTrajectories(
      readSharedJsonl('gsm8k/model-solutions.dev.jsonl')[0],
    );
    const { solutions } = gsm8kModelSolutionTrajectories({
      question: task.question,
      answer: 'x\n#### 1',
      '6b_finetuning': {
        is_correct: false,
        solution: 'He pays 20*3 = <<20*3=50>>50 dollars.\nA: 50',
      },
    });
    const report = evaluator.evaluateSync({ task, trajectory: solutions[0]!.trajectory });
    expect(report.dimensions.consistency!.diagnostics.map((d) => d.message)).toEqual([
      'recorded 20*3 = 50, re-execution gives 60',
    ]);
  });

  it('ToRA tool-integrated solutions: correctness agrees with is_correct on all 1,320', () => {
    // The equivalence checker is the autotraj preset's (the paper preset uses the paper's checker).
    const evaluator = createEvaluator({ preset: 'autotraj' });
    let total = 0;
    const disagreements: string[] = [];
    for (const raw of readSharedJsonl('tora/gsm8k.dev.jsonl')) {
      const { task, trajectory, isCorrect } = toraTrajectory(raw);
      const report = evaluator.evaluateSync({ task, trajectory });
      total++;
      if (report.correct !== isCorrect)
        disagreements.push(
          `${task.goldAnswers[0]} vs ${trajectory.finalAnswer} (label ${isCorrect})`,
        );
    }
    console.log(`ToRA: correctness agrees on ${total - disagreements.length}/${total}`);
    expect(total).toBe(1320);
    // Pinned: the known disagreements with the labels (none today); a new one fails.
    expect(disagreements).toEqual(KNOWN_TORA_DISAGREEMENTS);
  });
});
