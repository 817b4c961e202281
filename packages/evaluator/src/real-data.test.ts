import { gsm8kModelSolutionTrajectories, toraTrajectory } from '@autotraj/trajectory';
import { afterAll, describe, expect, it } from 'vitest';
import { createEvaluator } from './evaluate/create-evaluator.js';
import { readSharedJsonl } from './test-support/shared-data.js';
import { stopComparisonWorker } from './verify/deadline.js';

afterAll(() => stopComparisonWorker());

describe('real data', () => {
  it('GSM8K model solutions: correctness agrees with is_correct on >= 99% and consistency flags wrong calculator results', () => {
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
    expect(agree / total).toBeGreaterThanOrEqual(0.99);
    expect(flagged).toBeGreaterThan(0);
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

  it('ToRA tool-integrated solutions: correctness agrees with is_correct on >= 99%', () => {
    // The equivalence checker is the autotraj preset's (the paper preset uses the paper's checker).
    const evaluator = createEvaluator({ preset: 'autotraj' });
    let total = 0;
    let agree = 0;
    for (const raw of readSharedJsonl('tora/gsm8k.dev.jsonl')) {
      const { task, trajectory, isCorrect } = toraTrajectory(raw);
      const report = evaluator.evaluateSync({ task, trajectory });
      total++;
      if (report.correct === isCorrect) agree++;
      else
        console.log(
          `  disagreement: gold ${task.goldAnswers[0]} answer ${trajectory.finalAnswer} (label ${isCorrect})`,
        );
    }
    console.log(`ToRA: correctness agrees on ${agree}/${total}`);
    expect(total).toBe(1320);
    expect(agree / total).toBeGreaterThanOrEqual(0.99);
  });
});
