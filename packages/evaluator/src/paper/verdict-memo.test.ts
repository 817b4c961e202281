import { taskSchema, trajectoryFromText } from '@autotraj/trajectory';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEvaluator } from '../evaluate/create-evaluator.js';
import { goldArb, samples, trajectoryArb } from '../test-support/paper-arbitraries.js';
import { paperRepairAnswerChecker, paperRepairAnswerCorrect } from './accept.js';
import { paperCorrectnessChecker, paperIsCorrect } from './correctness.js';
import { rememberVerdicts } from './verdict-memo.js';

/** Texts that share answers, as a group's candidates do, each seen several times. */
const answers = ['\\boxed{4}', '\\boxed{ 4 }', '4', '\\boxed{5}', '\\boxed{Paris}', '', '{1,000}'];
const groupTexts = samples(
  fc.array(fc.tuple(fc.constantFrom(...answers), fc.constantFrom('', 'Maybe not. ', 'so {7} ')), {
    minLength: 1,
    maxLength: 12,
  }),
  300,
  61,
).map((group) =>
  group.map(([answer, lead]) => `<think>${lead}x</think><answer>${answer}</answer>`),
);

describe('a checker remembers its verdicts by prediction', () => {
  it('gives every text the verdict it gets checked alone (math and QA, one or two golds)', () => {
    const golds = samples(goldArb, 300, 67);
    groupTexts.forEach((texts, g) => {
      for (const taskType of ['math', 'qa'] as const) {
        const gs = g % 2 ? [golds[g]!] : [golds[g]!, golds[(g * 7) % golds.length]!];
        const check = paperCorrectnessChecker(gs, taskType);
        const loose = paperRepairAnswerChecker(gs);
        for (const text of [...texts, ...texts.reverse()]) {
          expect(check(text), `${gs} ${taskType} ${text}`).toBe(
            gs.some((gold) => paperIsCorrect(gold, text, taskType)),
          );
          expect(loose(text), `${gs} ${text}`).toBe(
            gs.some((gold) => paperRepairAnswerCorrect(gold, text)),
          );
        }
      }
    });
  });

  it('stays right past the number of verdicts it keeps', () => {
    const check = paperCorrectnessChecker(['77']);
    const texts = Array.from({ length: 300 }, (_, i) => `<answer>\\boxed{${i % 150}}</answer>`);
    expect(texts.map(check)).toEqual(texts.map((text) => paperIsCorrect('77', text)));
    let calls = 0;
    const judge = rememberVerdicts((key) => {
      calls++;
      return key.length > 1;
    });
    for (let round = 0; round < 3; round++) for (const key of ['a', 'bb', 'a']) judge(key);
    expect(calls).toBe(2);
    // Long keys (whole texts without a box) are judged every time, with the same verdict.
    const long = 'x'.repeat(65);
    expect([judge(long), judge(long)]).toEqual([true, true]);
    expect(calls).toBe(4);
  });

  it('evaluateGroup reports as each candidate evaluated on its own against the same group', async () => {
    const evaluator = createEvaluator({ preset: 'paper' });
    const extra = samples(trajectoryArb, 120, 71);
    const groups = [
      ...groupTexts.slice(0, 60),
      ...[0, 1, 2, 3].map((k) => extra.slice(k * 30, k * 30 + 30)),
    ];
    for (const [g, texts] of groups.entries()) {
      const task = taskSchema.parse({ id: `q${g}`, question: 'q', goldAnswers: ['4'] });
      const candidates = texts.map(
        (text, i) =>
          trajectoryFromText(text, {
            format: 'tags',
            taskId: task.id,
            salt: i,
            metadata: { sourceText: text },
          }).trajectory,
      );
      const { reports } = await evaluator.evaluateGroup({ task, candidates });
      candidates.forEach((trajectory, i) => {
        const alone = evaluator.evaluateSync({ task, trajectory, group: candidates });
        expect(reports[i], texts[i]).toEqual(alone);
      });
    }
  });
});
