import { type Task, taskSchema, trajectoryFromText } from '@autotraj/trajectory';
import { afterAll, describe, expect, it } from 'vitest';
import { type PaperRefCall, paperRefValues } from '../test-support/paper-ref.js';
import { paperVariants, realQuestions } from '../test-support/paper-variants.js';
import { stopComparisonWorker } from '../verify/deadline.js';
import { createEvaluator } from './create-evaluator.js';

afterAll(() => stopComparisonWorker());

const action = { high: 'keep', ac_low: 'repair', aw_low: 'repair' } as const;

/**
 * `createEvaluator({ preset: 'paper' })` on trajectories, against paper_ref.paper_pipeline on the
 * same texts (all real dev data, every variant): correctness, C / L / E and quality to 1e-9,
 * the ideal length, the stored score and keep / repair, without a single difference.
 */
describe.each(paperVariants)('paper preset on real data, %s variant', (variant) => {
  it('evaluateGroup reproduces the paper pipeline', async () => {
    const evaluator = createEvaluator({ preset: 'paper' });
    const questions = realQuestions(variant);
    const refs = paperRefValues(
      questions.map<PaperRefCall>((q) => ({
        fn: 'paper_pipeline',
        args: [q.gold, q.texts, 'math'],
      })),
    ) as Array<
      Array<{
        correct: boolean;
        decision: keyof typeof action;
        raw: number | null;
        stored: number | null;
        ideal_len: number | null;
      }>
    >;
    const parts = paperRefValues(
      questions.flatMap((q, qi) =>
        q.texts.map((text, ti) => ({
          fn: 'score_parts',
          args: [
            text,
            refs[qi]![ti]!.ideal_len ?? Math.min(...q.texts.map((t) => t.split(/\s+/).length)),
          ],
        })),
      ),
    ) as Array<{ confidence: number; length: number; repetition: number }>;
    const differences: string[] = [];
    const counts = { keep: 0, repair: 0, wrong: 0 };
    let k = 0;
    for (const [qi, q] of questions.entries()) {
      const task: Task = taskSchema.parse({
        id: `${q.source}-${q.index}`,
        question: q.question,
        goldAnswers: [q.gold],
        dataSource: 'gsm8k',
      });
      const format =
        variant === 'raw' ? (q.source === 'gsm8k' ? 'gsm8k-calculator' : 'markdown-tir') : 'tags';
      const candidates = q.texts.map(
        (text, i) =>
          trajectoryFromText(text, {
            format,
            taskId: task.id,
            salt: i,
            metadata: { sourceText: text },
          }).trajectory,
      );
      const { reports, decisions } = await evaluator.evaluateGroup({ task, candidates });
      reports.forEach((report, ti) => {
        const ref = refs[qi]![ti]!;
        const part = parts[k++]!;
        const where = `${task.id} text ${ti}`;
        if (report.correct !== ref.correct) differences.push(`${where}: correct`);
        if (decisions[ti]!.action !== action[ref.decision])
          differences.push(`${where}: ${decisions[ti]!.action} vs ${ref.decision}`);
        if (!ref.correct) counts.wrong++;
        else {
          counts[decisions[ti]!.action as 'keep' | 'repair']++;
          if (Math.abs(report.quality - ref.raw!) > 1e-9) differences.push(`${where}: quality`);
          if (report.paper?.stored !== ref.stored) differences.push(`${where}: stored`);
          if (report.idealLength !== ref.ideal_len) differences.push(`${where}: ideal length`);
          for (const name of ['confidence', 'length', 'repetition'] as const)
            if (Math.abs(report.dimensions[name]!.score - part[name]) > 1e-9)
              differences.push(`${where}: ${name}`);
        }
      });
    }
    expect(differences).toEqual([]);
    console.log(`paper preset, ${variant}: ${JSON.stringify(counts)}`);
    // Every decision kind occurs once answers are in <answer> blocks (the test sees all paths).
    if (variant !== 'raw') for (const n of Object.values(counts)) expect(n).toBeGreaterThan(50);
  });
});

describe('paper preset on hand-made cases', () => {
  const task: Task = taskSchema.parse({
    id: 't',
    question: 'q',
    goldAnswers: ['4'],
    dataSource: 'math',
  });
  const traj = (text: string, i: number) =>
    trajectoryFromText(text, { format: 'tags', taskId: 't', salt: i }).trajectory;

  it('scores the given text, not a re-rendering, and keeps duplicates', async () => {
    const evaluator = createEvaluator({ preset: 'paper' });
    // The text as written hedges outside a closed think block only: confidence stays 1.
    const text = '<think>Add two and two.</think> maybe <answer>\\boxed{4}</answer>';
    const { reports, decisions } = await evaluator.evaluateGroup({
      task,
      candidates: [traj(text, 0), traj(text, 1)],
      texts: [text, text],
    });
    expect(reports.map((r) => r.dimensions.confidence!.score)).toEqual([1, 1]);
    expect(reports[0]!.words).toBe(text.split(' ').length);
    expect(decisions.map((d) => d.action)).toEqual(['keep', 'keep']);
  });

  it('a partly correct question gives each correct trajectory L = 1', async () => {
    const evaluator = createEvaluator({ preset: 'paper' });
    const short = '<think>Two and two.</think><answer>\\boxed{4}</answer>';
    const long = `<think>${'We add the numbers carefully here. '.repeat(3)}</think><answer>\\boxed{4}</answer>`;
    const wrong = '<think>No.</think><answer>\\boxed{5}</answer>';
    const { reports } = await evaluator.evaluateGroup({
      task,
      candidates: [short, long, wrong].map(traj),
    });
    expect(reports[1]!.dimensions.length!.score).toBe(1);
    expect(reports[1]!.idealLength).toBe(reports[1]!.words);
    expect(reports[2]!.paper!.stored).toBeNull();
  });

  it('repair acceptance follows the repair scripts', async () => {
    const evaluator = createEvaluator({ preset: 'paper' });
    const before = '<think>It might be 4.</think><answer>\\boxed{4}</answer>';
    const after = '<think>Two plus two is four.</think><answer>\\boxed{4}</answer>';
    const original = await evaluator.evaluate({ task, trajectory: traj(before, 0), text: before });
    const repaired = await evaluator.evaluate({ task, trajectory: traj(after, 1), text: after });
    expect(evaluator.acceptRepair({ original, repaired })).toMatchObject({
      accepted: true,
      idealLength: 4,
    });
    // Wrong-answer input: L = 1 whatever the lengths.
    const wrongOriginal = { ...original, correct: false };
    expect(evaluator.acceptRepair({ original: wrongOriginal, repaired })).toMatchObject({
      accepted: true,
      score: 1,
    });
  });
});
