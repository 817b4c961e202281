import type { PythonExecutor } from '@autotraj/tools';
import {
  type Metadata,
  parseAiSdkSteps,
  type Step,
  tagCodec,
  taskSchema,
  trajectoryFromSteps,
} from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { createEvaluator } from '../evaluate/create-evaluator.js';

const task = taskSchema.parse({ id: 'six', question: 'What is 2 times 3?', goldAnswers: ['6'] });

// Measured from Qwen2.5-Coder-1.5B-Instruct offered native tools (issue 27): no call, the
// result written by the model itself.
const QWEN_INVENTED_OUTPUT =
  '```python\nprint(2*3)\n```\n```output\n6\n```\nThe answer is \\boxed{6}.';

/** A trajectory `generateTrajectory` would return for a native run writing only `text`. */
function generated(id: string, steps: Step[], metadata: Metadata = { protocol: 'native' }) {
  const finalAnswer = steps.findLast((s) => s.type === 'answer');
  return trajectoryFromSteps(
    { steps, finalAnswer: finalAnswer?.type === 'answer' ? (finalAnswer.answer ?? null) : null },
    { taskId: task.id, id, provenance: { origin: 'repaired' }, metadata },
  );
}
const qwenText = { type: 'text', text: QWEN_INVENTED_OUTPUT };
const invented = generated('invented', parseAiSdkSteps([{ content: [qwenText] }]).steps);
const executed = generated('executed', [
  { type: 'tool-call', callId: 'c1', toolName: 'python', input: { code: 'print(2*3)' } },
  { type: 'tool-result', callId: 'c1', toolName: 'python', output: '6', isError: false },
  { type: 'answer', text: 'The output is 6, so the answer is \\boxed{6}.', answer: '6' },
]);

const fabricatedAt = (diagnostics: ReadonlyArray<{ stepIndex: number | null; code: string }>) =>
  diagnostics.filter((d) => d.code === 'fabricated-tool-output').map((d) => d.stepIndex);

describe('fabricated-tool-output under the autotraj preset', () => {
  const evaluator = createEvaluator({ preset: 'autotraj' });

  it('zeroes consistency and tool validity for the Qwen repair, which is then not accepted', () => {
    const report = evaluator.evaluateSync({ task, trajectory: invented });
    expect(report.correct).toBe(true);
    expect(fabricatedAt(report.dimensions.consistency!.diagnostics)).toEqual([0]);
    expect(fabricatedAt(report.diagnostics)).toEqual([0]);
    expect(report.dimensions.consistency!.score).toBe(0);
    expect(report.dimensions.toolValidity).toEqual({
      score: 0,
      diagnostics: [
        {
          stepIndex: null,
          code: 'tool/no-call',
          message: 'the task offered tools and the trajectory made no tool call',
        },
      ],
    });
    // It scored 0.93 and was accepted before; now below every threshold.
    expect(report.quality).toBeLessThan(0.8);
    const original = { correct: false, quality: 0.5 };
    expect(evaluator.acceptRepair({ original, repaired: report }).accepted).toBe(false);
  });

  it('with every other dimension perfect, a fabricated output alone keeps quality at 0.8, not above', () => {
    // Real calls, plus a second ```python block whose output the model wrote itself.
    const mixed = generated('mixed', [
      ...executed.steps.slice(0, 2),
      {
        type: 'answer',
        text: 'Check:\n```python\nprint(6/3)\n```\n```output\n2\n```\nThe output 6 gives \\boxed{6}.',
        answer: '6',
      },
    ]);
    const report = evaluator.evaluateSync({ task, trajectory: mixed });
    expect(fabricatedAt(report.diagnostics)).toEqual([2]);
    expect(report.dimensions.toolValidity!.score).toBe(1);
    expect(report.dimensions.consistency!.score).toBe(0);
    expect(report.quality).toBeLessThanOrEqual(0.8);
    const decision = evaluator.acceptRepair({
      original: { correct: false, quality: 0.5 },
      repaired: report,
    });
    expect(decision.accepted).toBe(false);
  });

  it('flags nothing in a trajectory whose call was executed', () => {
    const report = evaluator.evaluateSync({ task, trajectory: executed });
    expect(report.dimensions.consistency).toEqual({ score: 1, diagnostics: [] });
    expect(report.dimensions.toolValidity).toEqual({ score: 1, diagnostics: [] });
    expect(fabricatedAt(report.diagnostics)).toEqual([]);
  });

  it('keeps consistency at 0 when Python re-execution adds its checks', async () => {
    const executor = {
      run: async () => ({ stdout: '6\n', stderr: '', timedOut: false }),
      endSession: async () => undefined,
      close: async () => undefined,
      isolation: async () => ({}),
    } as unknown as PythonExecutor;
    const withPython = createEvaluator({ preset: 'autotraj', python: { executor } });
    const report = await withPython.evaluate({ task, trajectory: invented });
    expect(report.dimensions.consistency!.score).toBe(0);
    expect(fabricatedAt(report.diagnostics)).toEqual([0]);
  });

  it('reports it without scoring it when consistency is not computed', () => {
    const noConsistency = createEvaluator({
      preset: 'autotraj',
      dimensions: ['correctness', 'confidence', 'length', 'repetition'],
    });
    const report = noConsistency.evaluateSync({ task, trajectory: invented });
    expect(fabricatedAt(report.diagnostics)).toEqual([0]);
    expect(report.quality).toBe(1);
  });
});

describe('fabricated-tool-output under the paper preset: reported, scores unchanged', () => {
  const evaluator = createEvaluator({ preset: 'paper' });
  // Same text scored (the paper scores the text as written), trajectories that differ only in
  // whether their steps hold made-up output.
  const text = '<think>2*3</think>\n<answer>\\boxed{6}</answer>';
  const clean = generated('clean', tagCodec.parse(text).steps);

  it('evaluate: the same report apart from the diagnostic', async () => {
    const flagged = await evaluator.evaluate({ task, trajectory: invented, text });
    const plain = await evaluator.evaluate({ task, trajectory: clean, text });
    expect(fabricatedAt(flagged.diagnostics)).toEqual([0]);
    expect(plain.diagnostics).toEqual([]);
    const { diagnostics: _a, trajectoryId: _b, ...scores } = flagged;
    const { diagnostics: _c, trajectoryId: _d, ...expected } = plain;
    expect(scores).toEqual(expected);
    expect(Object.keys(flagged.dimensions).sort()).toEqual([
      'confidence',
      'correctness',
      'length',
      'repetition',
    ]);
  });

  it('evaluateGroup: the same qualities and decisions', async () => {
    const other = '<think>Two times three is six.</think>\n<answer>\\boxed{6}</answer>';
    const flagged = await evaluator.evaluateGroup({
      task,
      candidates: [invented, executed],
      texts: [text, other],
    });
    const plain = await evaluator.evaluateGroup({
      task,
      candidates: [clean, executed],
      texts: [text, other],
    });
    expect(flagged.reports.map((r) => r.quality)).toEqual(plain.reports.map((r) => r.quality));
    expect(flagged.decisions.map((d) => [d.action, d.reason])).toEqual(
      plain.decisions.map((d) => [d.action, d.reason]),
    );
    expect(fabricatedAt(flagged.reports[0]!.diagnostics)).toEqual([0]);
  });

  it('reports results a tag parse left out of the steps', () => {
    const orphan = generated('orphan', tagCodec.parse(text).steps, {
      protocol: 'text-tags',
      issues: [{ code: 'orphan-result', message: '<result> without a preceding call' }],
    });
    const report = evaluator.evaluateSync({ task, trajectory: orphan, text });
    expect(fabricatedAt(report.diagnostics)).toEqual([null]);
  });
});
