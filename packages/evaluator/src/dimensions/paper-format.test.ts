import { describe, expect, it } from 'vitest';
import { checkPaperFormat, formatDimension } from './paper-format.js';

const good =
  '<think>add them</think>\n<code>print(1+1)</code>\n<result>2</result>\n<think>so 2</think>\n<answer>The answer is \\boxed{2}</answer>';

const codes = (text: string, options?: Parameters<typeof checkPaperFormat>[1]) =>
  checkPaperFormat(text, options).violations.map((v) => v.code);

describe('checkPaperFormat', () => {
  it('accepts a trajectory that follows every tag rule', () => {
    expect(checkPaperFormat(good)).toEqual({ ok: true, violations: [], toolCalls: 1 });
  });

  it('requires <think> first and paired think tags', () => {
    expect(codes(`Sure! ${good}`)).toContain('first-token-not-think');
    expect(codes('<think>a<answer>\\boxed{1}</answer>')).toContain('unclosed-tag');
    expect(codes(`</think>${good}`)).toEqual(['first-token-not-think', 'unmatched-close']);
  });

  it('requires each call to be followed by its result', () => {
    expect(
      codes('<think>x</think><code>1</code><think>y</think><answer>\\boxed{1}</answer>'),
    ).toContain('call-without-result');
    expect(codes('<think>x</think><result>1</result><answer>\\boxed{1}</answer>')).toContain(
      'orphan-result',
    );
  });

  it('requires exactly one final answer holding \\boxed{}', () => {
    expect(codes('<think>x</think>')).toContain('missing-answer');
    expect(codes('<think>x</think><answer>2</answer>')).toContain('answer-without-boxed');
    expect(
      codes('<think>x</think><answer>\\boxed{1}</answer><answer>\\boxed{2}</answer>'),
    ).toContain('multiple-answers');
    expect(codes('<think>x</think><answer>\\boxed{1}</answer> more')).toContain(
      'text-after-answer',
    );
  });

  it('limits tool calls', () => {
    const calls = '<code>1</code><result>1</result>'.repeat(4);
    expect(codes(`<think>x</think>${calls}<answer>\\boxed{1}</answer>`)).toEqual([
      'too-many-tool-calls',
    ]);
    expect(
      codes(`<think>x</think>${calls}<answer>\\boxed{1}</answer>`, { maxToolCalls: 5 }),
    ).toEqual([]);
  });

  it('scores as a dimension with one diagnostic per violation', () => {
    const result = formatDimension('<think>x</think><answer>2</answer> tail');
    expect(result.score).toBe(0.5);
    expect(result.diagnostics.map((d) => d.code)).toEqual([
      'format/answer-without-boxed',
      'format/text-after-answer',
    ]);
  });
});
