import { describe, expect, it } from 'vitest';
import { gsm8kCalculatorCodec } from './codecs/gsm8k-calculator.js';
import { markdownTirCodec } from './codecs/markdown-tir.js';
import { renderWithLossMask } from './render/loss-mask.js';
import { GSM8K_SOLUTION_MODELS, gsm8kModelSolutionTrajectories } from './sources/gsm8k.js';
import { toraTrajectory } from './sources/tora.js';
import { readSharedJsonl } from './test-support/shared-data.js';

describe('real GSM8K model solutions (calculator codec)', () => {
  const records = readSharedJsonl('gsm8k/model-solutions.dev.jsonl') as Record<string, unknown>[];

  it('parses all 2,640 solutions: every <<expr=result>> a linked call/result pair, the answer extracted', () => {
    let solutions = 0;
    let truncated = 0;
    for (const record of records) {
      const { solutions: parsed } = gsm8kModelSolutionTrajectories(record);
      expect(parsed).toHaveLength(GSM8K_SOLUTION_MODELS.length);
      parsed.forEach(({ trajectory, issues }, i) => {
        const text = (record[GSM8K_SOLUTION_MODELS[i]!] as { solution: string }).solution;
        const annotations = [...text.matchAll(/<<([^<>]*)=([^<>]*)>>/g)];
        const calls = trajectory.steps.filter((s) => s.type === 'tool-call');
        const results = trajectory.steps.filter((s) => s.type === 'tool-result');
        expect(calls).toHaveLength(annotations.length);
        expect(results.map((r) => r.callId)).toEqual(calls.map((c) => c.callId));
        expect(results.map((r) => (r.type === 'tool-result' ? r.output : ''))).toEqual(
          annotations.map((m) => m[2]),
        );
        const answerLine = /^A:\s*(.*?)\s*$/.exec(text.trimEnd().split('\n').pop()!);
        if (answerLine === null) {
          // Generations cut off by the token limit: no answer, reported as such.
          expect(trajectory.finalAnswer).toBeNull();
          expect(issues.map((i) => i.code)).toContain('missing-answer');
          truncated++;
        } else {
          expect(trajectory.finalAnswer).toBe(answerLine[1]);
          expect(issues).toEqual([]);
        }
        // Faithful: rendering gives back the exact text.
        expect(gsm8kCalculatorCodec.render(trajectory.steps)).toBe(text);
        solutions++;
      });
    }
    expect(solutions).toBe(2640);
    expect(truncated).toBe(5);
  });

  it('masks exactly the calculator-written results', () => {
    const { solutions } = gsm8kModelSolutionTrajectories(records[0]);
    const rendered = renderWithLossMask(solutions[0]!.trajectory.steps, gsm8kCalculatorCodec);
    const toolText = rendered.spans
      .filter((s) => s.source === 'tool')
      .map((s) => rendered.text.slice(s.start, s.end));
    expect(toolText).toEqual(['40000.0>>', '130000>>', '90000>>']);
  });
});

describe('real ToRA solutions (markdown TIR codec)', () => {
  const records = readSharedJsonl('tora/gsm8k.dev.jsonl') as Record<string, unknown>[];

  it('parses all 1,320 solutions: code -> call, output -> result, \\boxed{} answer', () => {
    let exact = 0;
    for (const record of records) {
      const { trajectory, issues } = toraTrajectory(record);
      const text = record.solution as string;
      const codeBlocks = text.match(/```python\n/g)?.length ?? 0;
      const outputBlocks = text.match(/```output\n/g)?.length ?? 0;
      const calls = trajectory.steps.filter((s) => s.type === 'tool-call');
      const results = trajectory.steps.filter((s) => s.type === 'tool-result');
      expect(calls).toHaveLength(codeBlocks);
      expect(results).toHaveLength(outputBlocks);
      expect(calls.every((c) => c.type === 'tool-call' && c.toolName === 'python')).toBe(true);
      expect(issues.filter((i) => i.code !== 'missing-answer')).toEqual([]);
      if (trajectory.finalAnswer !== null)
        expect(text).toContain(`\\boxed{${trajectory.finalAnswer}}`);
      if (markdownTirCodec.render(trajectory.steps) === text) exact++;
    }
    expect(exact).toBe(records.length);
  });
});
