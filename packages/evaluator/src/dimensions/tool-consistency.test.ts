import { parseGsm8kCalculator, type Step } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { consistencyDimension } from './consistency.js';
import { toolValidityDimension } from './tool-validity.js';

const call = (callId: string, code: string): Step => ({
  type: 'tool-call',
  callId,
  toolName: 'python',
  input: { code },
});
const result = (
  callId: string,
  output: string,
  extra: Partial<Extract<Step, { type: 'tool-result' }>> = {},
): Step => ({
  type: 'tool-result',
  callId,
  toolName: 'python',
  output,
  isError: false,
  ...extra,
});

describe('tool validity', () => {
  it('flags errors, timeouts, missing results, unused results and calls over budget', () => {
    const steps: Step[] = [
      call('c0', 'print(6*7)'),
      result('c0', '42'),
      call('c1', 'boom'),
      result('c1', 'NameError', { isError: true }),
      call('c2', 'while True: pass'),
      result('c2', '', { timedOut: true }),
      call('c3', 'print(5)'),
      result('c3', '5'),
      call('c4', 'print(1)'),
      { type: 'answer', text: 'It is \\boxed{42}', answer: '42' },
    ];
    const { score, diagnostics } = toolValidityDimension({ steps }, { maxToolCalls: 3 });
    expect(diagnostics.map((d) => [d.stepIndex, d.code])).toEqual([
      [3, 'tool/error'],
      [5, 'tool/timeout'],
      [6, 'tool/over-budget'],
      [7, 'tool/unused-result'],
      [8, 'tool/no-result'],
    ]);
    // 5.5 problem points over 5 calls: clamped at 0.
    expect(score).toBe(0);
    expect(
      toolValidityDimension({
        steps: [call('a', 'print(2)'), result('a', '2'), { type: 'answer', text: '2' }],
      }).score,
    ).toBe(1);
  });
});

describe('consistency', () => {
  it('re-executes every GSM8K calculator annotation and flags wrong recorded results', () => {
    const parsed = parseGsm8kCalculator(
      'She has 3*4 = <<3*4=13>>13 apples and 13+2 = <<13+2=15>>15.\nA: 15',
    );
    const { score, diagnostics } = consistencyDimension(parsed);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'consistency/calculator-mismatch', stepIndex: 2 });
    expect(diagnostics[0]!.message).toContain('12');
    expect(score).toBeCloseTo(2 / 3, 10);
  });

  it('checks that the final answer is supported by the last results', () => {
    const supported = parseGsm8kCalculator('Total 2+3 = <<2+3=5>>5.\nA: 5');
    expect(consistencyDimension(supported)).toEqual({ score: 1, diagnostics: [] });
    const unsupported = parseGsm8kCalculator('Total 2+3 = <<2+3=5>>5.\nA: 9');
    expect(consistencyDimension(unsupported).diagnostics.map((d) => d.code)).toEqual([
      'consistency/answer-unsupported',
    ]);
  });
});
