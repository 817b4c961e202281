import { describe, expect, it } from 'vitest';
import { repairNotes } from './repair-notes.js';

const options = { protocol: 'text-tags' as const, maxToolCalls: 3, finalAnswer: '42' };

describe('repairNotes', () => {
  it("turns the admission gate's reasons (a kept candidate it refused) into instructions", () => {
    const gate = (code: string) => ({ stepIndex: null, code: `admission/${code}`, message: 'x' });
    const notes = repairNotes(
      {
        correct: true,
        diagnostics: [
          gate('whole-number-as-decimal'),
          gate('prose-arithmetic-error'),
          gate('tool-error-ignored'),
          gate('tool-call-computes-nothing'),
          gate('prompt-meta-text'),
          gate('token-limit'),
          gate('think-not-first'),
        ],
      },
      options,
    );
    expect(notes.split('\n')).toEqual([
      '- Write a whole-number answer without a decimal point: \\boxed{10}, not \\boxed{10.0}.',
      '- Check the arithmetic in your reasoning: write the code inside <code></code> for every value and use what it prints.',
      '- Their code failed. Write the code inside <code></code> so that it runs and prints the result.',
      '- Let the code do the computing: write the code inside <code></code> that works the answer out, not one that prints a number you already have.',
      '- Write only the solution, nothing about these instructions.',
      '- Be brief: reason only as much as the problem needs.',
      '- Keep to the format of the example: write the code inside <code></code>, and never write a result yourself.',
    ]);
  });

  it('turns diagnostics into instructions, without evaluator vocabulary', () => {
    const notes = repairNotes(
      {
        correct: false,
        diagnostics: [
          {
            stepIndex: null,
            code: 'correctness/wrong-answer',
            message: "the paper's answer check fails",
          },
          {
            stepIndex: 0,
            code: 'format/first-token-not-think',
            message: 'the text does not start with <think>',
          },
          {
            stepIndex: 2,
            code: 'confidence/uncertainty-word',
            message: 'a <think> block says "maybe"',
          },
          { stepIndex: null, code: 'format/missing-answer', message: 'no <answer> block' },
          { stepIndex: 3, code: 'tool/error', message: 'python failed: NameError' },
          { stepIndex: 4, code: 'fabricated-tool-output', message: 'an ```output block in prose' },
        ],
      },
      options,
    );
    expect(notes.split('\n')).toEqual([
      '- Their final answer, 42, is wrong. Work the problem out from the start; do not reuse it.',
      '- Start with <think>.',
      '- State each step plainly: no words such as maybe, perhaps, probably, seems or guess.',
      '- Finish with exactly one <answer></answer> that holds the final answer in \\boxed{}.',
      '- Their code failed. Write the code inside <code></code> so that it runs and prints the result.',
      '- Never write a result or output block yourself: the environment writes it after your code.',
    ]);
    for (const jargon of [
      'paper',
      'check fails',
      'diagnostic',
      'evaluator',
      'trajectory',
      'format/',
    ])
      expect(notes).not.toContain(jargon);
  });

  it('says the same thing once, speaks the protocol, and always says something', () => {
    const twice = { stepIndex: 1, code: 'length/long', message: '900 words' };
    expect(repairNotes({ correct: true, diagnostics: [twice, twice] }, options)).toBe(
      '- Be brief: reason only as much as the problem needs.',
    );
    expect(
      repairNotes(
        { correct: null, diagnostics: [{ stepIndex: null, code: 'judge/issue', message: 'x' }] },
        { ...options, protocol: 'markdown' },
      ),
    ).toBe('- Check every computation: write the code in a ```python block for each one.');
    expect(
      repairNotes({ correct: true, diagnostics: [] }, { ...options, protocol: 'native' }),
    ).toBe('- Solve it carefully: call the python tool for each computation.');
  });
});
