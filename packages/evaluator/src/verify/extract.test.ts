import { describe, expect, it } from 'vitest';
import { extractAnswers } from './extract.js';

const best = (text: string, options?: Parameters<typeof extractAnswers>[1]) =>
  extractAnswers(text, options)[0];

describe('extractAnswers', () => {
  it('takes the last \\boxed{} with nested braces, and \\fbox', () => {
    expect(best('first \\boxed{1} then \\boxed{\\frac{1}{2}}.')).toMatchObject({
      text: '\\frac{1}{2}',
      source: 'boxed',
    });
    expect(best('so \\fbox{42}')).toMatchObject({ text: '42', source: 'boxed' });
  });

  it('joins boxes that stand side by side into one list answer', () => {
    expect(best('\\boxed{(1, 2)}, \\boxed{(2, 1)}')?.text).toBe('(1, 2), (2, 1)');
  });

  it('reads <answer> blocks, #### lines, A: lines and "the answer is"', () => {
    expect(best('<think>x</think><answer>The result is 5</answer>')).toMatchObject({
      source: 'answer-tag',
    });
    // Marker lines are plain text: separators are read as numbers are in prose.
    expect(best('work\n#### 1,234')).toMatchObject({ text: '1234', source: 'marker' });
    expect(best('work\n#### 84,5')).toMatchObject({ text: '84.5', source: 'marker' });
    expect(best('work\nA: 18')).toMatchObject({ text: '18', source: 'marker' });
    expect(best('So the final answer is 7.78. I hope it is correct.')).toMatchObject({
      text: '7.78',
      source: 'final-answer',
    });
    expect(best('The final answer is $\\frac{1}{3}$.')).toMatchObject({
      text: '\\frac{1}{3}',
      source: 'final-answer',
    });
  });

  it('takes the value right after "the final answer is", before the words that follow', () => {
    // SmolLM2's no-tool chain of thought: Math-Verify reads the expression 348 + 220.
    const text = 'The final answer is: 348 + 220 = 568 donuts and 220 cheesecakes.';
    expect(best(text)).toMatchObject({ text: '348 + 220', source: 'final-answer' });
    expect(best('So the final answer is 12 apples in all.')).toMatchObject({ text: '12' });
  });

  it('finds the expression that ends last however long the text', () => {
    expect(best('the chance is (1/2)*(4/3).')?.text).toBe('(1/2)*(4/3)');
    const long = `${'1 2 3 '.repeat(5000)}so the chance is (1/2)*(4/3).`;
    expect(best(long)?.text).toBe('(1/2)*(4/3)');
    expect(best(`${long} In all 7 ways`)?.text).toBe('7');
  });

  it('falls back to the later of the last LaTeX span and the last number', () => {
    expect(best('We get $x = 2$ and so there are 12 ways.')).toMatchObject({
      text: '12',
      source: 'number',
    });
    expect(best('There are 12 ways, namely $x = 2$')).toMatchObject({
      text: 'x = 2',
      source: 'latex',
    });
    expect(best('Answer \\( (9+1) \\)', { targets: ['latex'] })).toMatchObject({ text: ' (9+1) ' });
  });

  it('reads decimal commas and thousands separators in plain numbers', () => {
    expect(best('Soucis : 2,74 $ a..', { targets: ['expr'] })?.text).toBe('2.74');
    expect(best('The answer is 3,5 kg.')?.text).toBe('3.5');
    expect(best('The probability is 0,75.')?.text).toBe('0.75');
    expect(best('I get 1 000 apples')?.text).toBe('1000');
    expect(best('it costs $1,000.99', { targets: ['expr'] })?.text).toBe('1000.99');
  });

  it('lets each method be switched off', () => {
    expect(best('so \\boxed{3}; total 4', { sources: ['number'] })?.text).toBe('4');
    expect(extractAnswers('no maths here', { targets: ['latex'] })).toEqual([]);
  });

  it('ignores doubled backslashes from double-escaped JSON', () => {
    expect(best('the answer is $\\\\boxed{\\\\frac{1}{2}}$')?.text).toBe('\\frac{1}{2}');
  });
});
