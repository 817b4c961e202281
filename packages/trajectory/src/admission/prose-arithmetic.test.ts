import { describe, expect, it } from 'vitest';
import { findProseArithmeticErrors, readProseEquations } from './prose-arithmetic.js';

// Authored texts, one behaviour each; the real Qwen outputs are in prose-arithmetic.qwen.test.ts.
const verdicts = (text: string) => readProseEquations(text).map((e) => [e.equation, e.verdict]);
const wrong = (text: string) =>
  readProseEquations(text)
    .filter((e) => e.verdict === 'wrong')
    .map((e) => `${e.equation} (${e.value})`);

describe('readProseEquations: what is checked', () => {
  it('finds a wrong sum and gives the exact value of its left side', () => {
    expect(readProseEquations('She has $50 + $15 + $30 = $105 in all.')).toEqual([
      {
        offset: 8,
        equation: '$50 + $15 + $30 = $105',
        written: '$105',
        verdict: 'wrong',
        value: '95',
      },
    ]);
  });

  it('reads every operator form between numbers', () => {
    for (const text of [
      'so 12 * 3 = 36',
      'so $12 \\times 3 = $36',
      'so 12 \\cdot 3 = 36',
      'so 12 × 3 = 36',
      'so 12 x 3 = 36',
      'so 72 / 2 = 36',
      'so 72 ÷ 2 = 36',
      'so \\frac{72}{2} = 36',
      'so \\dfrac{72}{2} = 36',
      'so 6^2 = 36',
      'so 6^{2} = 36',
      'so 40 − 4 = 36',
      'so 1,000 - 964 = 36',
      'so 1{,}000 - 964 = 36',
    ])
      expect(verdicts(text), text).toEqual([[text.slice(3), 'holds']]);
    expect(wrong('so 12 x 3 = 34 eggs')).toEqual(['12 x 3 = 34 (36)']);
    expect(wrong('so \\frac{72}{2} = 38')).toEqual(['\\frac{72}{2} = 38 (36)']);
  });

  it('checks each link of a chain', () => {
    expect(verdicts('10 + 5 = 15 x 2 = 30')).toEqual([
      ['10 + 5 = 15 x 2', 'wrong'],
      ['15 x 2 = 30', 'holds'],
    ]);
    expect(verdicts('Total: 16 * 60 + 8 * 30 = 960 + 240 = 1200.')).toEqual([
      ['16 * 60 + 8 * 30 = 960 + 240', 'holds'],
      ['960 + 240 = 1200', 'holds'],
    ]);
    expect(verdicts('2 + 3 = 4 + 1 = 6')).toEqual([
      ['2 + 3 = 4 + 1', 'holds'],
      ['4 + 1 = 6', 'wrong'],
    ]);
  });

  it('computes exactly, in rationals', () => {
    expect(verdicts('0.1 + 0.2 = 0.3')).toEqual([['0.1 + 0.2 = 0.3', 'holds']]);
    expect(verdicts('1/3 + 1/6 = 0.5')).toEqual([['1/3 + 1/6 = 0.5', 'holds']]);
    expect(wrong('1/3 + 1/6 = 0.6')).toEqual(['1/3 + 1/6 = 0.6 (0.5)']);
    expect(readProseEquations('10/3 = 3.4')[0]).toMatchObject({ value: '3.3333…' });
  });

  it('allows a result rounded or cut to the precision it is written in, and no more', () => {
    for (const ok of [
      '10/3 = 3.33',
      '10/3 = 3.3',
      '10/3 = 3',
      '2/3 = 0.67',
      '2/3 = 0.66',
      '24/7 = 3',
    ])
      expect(verdicts(ok), ok).toEqual([[ok, 'holds']]);
    for (const bad of ['10/3 = 3.35', '10/3 = 3.2', '5 + 3 = 9', '7 * 8 = 54', '2/3 = 0.68'])
      expect(verdicts(bad), bad).toEqual([[bad, 'wrong']]);
  });

  it('allows a number written rounded on the left (0.33 for 1/3)', () => {
    expect(verdicts('0.33 * 300 = 100')).toEqual([['0.33 * 300 = 100', 'holds']]);
    expect(verdicts('0.5 * 300 = 160')).toEqual([['0.5 * 300 = 160', 'wrong']]);
  });

  it('reads a/b*c either way a writer may mean it', () => {
    expect(verdicts('3/4 * 360 = 270')).toEqual([['3/4 * 360 = 270', 'holds']]);
    expect(verdicts('60 / 2 * 3 = 10')).toEqual([['60 / 2 * 3 = 10', 'holds']]);
    expect(verdicts('60 / 2 * 3 = 20')).toEqual([['60 / 2 * 3 = 20', 'wrong']]);
  });

  it('reads percents as fractions, and P% of N', () => {
    expect(verdicts('16 * 50% = 8')).toEqual([['16 * 50% = 8', 'holds']]);
    expect(verdicts('20% of 80 = 16')).toEqual([['20% of 80 = 16', 'holds']]);
    expect(verdicts('so 20% of 80 is 16.')).toEqual([['20% of 80 is 16', 'holds']]);
    expect(verdicts('20% of $1000, which is $200')).toEqual([
      ['20% of $1000, which is $200', 'holds'],
    ]);
    expect(verdicts('so 20% of 80 is 18.')).toEqual([['20% of 80 is 18', 'wrong']]);
    expect(verdicts('16 / 64 = 25%')).toEqual([['16 / 64 = 25%', 'holds']]);
    // The % as a label on a sum of percentage points.
    expect(verdicts('50 + 25 = 75%')).toEqual([['50 + 25 = 75%', 'holds']]);
    expect(verdicts('3/4 of 360 = 270 coins')).toEqual([['3/4 of 360 = 270', 'holds']]);
  });

  it('reads units and labels after numbers', () => {
    expect(verdicts('15 birds * 6 jaguars = 90 beetles')).toEqual([
      ['15 birds * 6 jaguars = 90', 'holds'],
    ]);
    expect(verdicts('11 (snowflake) + 20 (truck) + 7 (rose) = 48 stamps.')).toEqual([
      ['11 (snowflake) + 20 (truck) + 7 (rose) = 48', 'wrong'],
    ]);
    expect(verdicts('\\[ 30 + 46 = 76 \\text{ dollars} \\]')).toEqual([['30 + 46 = 76', 'holds']]);
  });

  it('reads a bracket opened in prose', () => {
    expect(verdicts('which is 12 inches (since 48/12 = 12).')).toEqual([['48/12 = 12', 'wrong']]);
  });
});

describe('readProseEquations: what is not read', () => {
  const notRead = (text: string) => expect(readProseEquations(text), text).toEqual([]);

  it('skips text that only looks like an equation', () => {
    notRead('On 12/25/2020 = Christmas, 3 friends came.');
    notRead('It takes 3-5 days, and at 2:30 = 150 minutes after noon.');
    notRead('At 2:30 + 15 = 2:45 they left.');
    notRead('She came 3rd + 1 = 4th.');
    notRead('Version 1.2.3 + 1 = 2');
  });

  it('skips a left side that is only a number (conversions, labels)', () => {
    notRead('2 hours = 120 minutes');
    notRead('Step 1 = read the problem');
    notRead('so $50 = 50 dollars');
  });

  it('skips algebra and names', () => {
    notRead('x + 2x + 4x = 7x, so 7x = 847');
    notRead('10x - 10 = 40');
    notRead('Jolyn = (Aivo + 5) + 2 = Aivo + 7');
    notRead('clips_may = clips_april / 2');
    notRead('3 * x = 15');
    notRead('so f(2 + 1) = 9 and g(4) = 2');
    notRead('\\binom{5}{2} = 10, \\sqrt{16} = 4, 5! = 120, \\log_2 8 = 3');
    notRead('1 + 2 + ... + 10 = 55 and 1\\frac{1}{2} + 1 = 2.5');
  });

  it('skips numbers joined by words it does not read', () => {
    notRead('half of 80 + 20 = 60');
    notRead('add 10 to 5 * 2 = 20');
    notRead('30 divided by 3 * 2 = 5');
    notRead('The answer is 5 + 3 = 8 times 2');
    notRead('5 + 3 = 8 squared');
    notRead('1.5 * 2 = 3 million');
    notRead('so 2 + 3 = 1/4 of the cards');
  });

  it('skips ≈, code, and comparisons', () => {
    notRead('10/3 ≈ 3');
    notRead('P = \\frac{10}{1.8} \\approx 5.6');
    notRead('We run `total = 3 + 4 = 8` in Python.');
    notRead('```python\nx = 3 + 4 # = 8\n```');
    notRead('if a + b == 8 or 5 + 3 => 9 or 3 + 4 <= 9');
  });

  it('reads but does not judge mixed units of one kind, scaling words, percent added to a number', () => {
    const unclear = (text: string) =>
      expect(
        readProseEquations(text).map((e) => e.verdict),
        text,
      ).toEqual(['unclear']);
    unclear('2 hours * 60 = 120 minutes');
    unclear('$1 + 25 cents = $1.25');
    unclear('2 dozen + 6 = 30');
    unclear('100 + 20% = 120');
  });

  it('does not read "is" as an equation outside "P% of N is M"', () => {
    notRead('The total is 5 + 3 is 9');
    notRead('half of 80 is 30');
  });
});

describe('readProseEquations on degenerate text', () => {
  it('reads long runs of signs and brackets (a model repeating itself) without deep recursion', () => {
    const runs = `${'- '.repeat(50_000)}5 = 5 ${'('.repeat(50_000)}2 + 2${')'.repeat(50_000)} = 5`;
    expect(readProseEquations(runs)).toEqual([]);
    expect(verdicts('5 - -3 = 8')).toEqual([['5 - -3 = 8', 'holds']]);
    expect(verdicts('((2 + 2)) * 3 = 12')).toEqual([['((2 + 2)) * 3 = 12', 'holds']]);
  });
});

describe('findProseArithmeticErrors', () => {
  it('reads think and answer steps, not code or tool output, and names the step', () => {
    const errors = findProseArithmeticErrors({
      steps: [
        { type: 'think', text: 'Total: 48 + 24 = 72. Then 72 * 2 = 140.' },
        {
          type: 'tool-call',
          callId: 'c',
          toolName: 'python',
          input: { code: 'print(2 + 2 == 5)' },
        },
        {
          type: 'tool-result',
          callId: 'c',
          toolName: 'python',
          output: '3 + 3 = 7',
          isError: false,
        },
        { type: 'answer', text: 'So 7 + 7 = \\boxed{15}', answer: '15' },
      ],
    });
    expect(errors).toEqual([
      {
        stepIndex: 0,
        offset: 26,
        equation: '72 * 2 = 140',
        value: '144',
        written: '140',
        message: 'step 0: "72 * 2 = 140": the left side is 144, not 140',
      },
      {
        stepIndex: 3,
        offset: 3,
        equation: '7 + 7 = \\boxed{15}',
        value: '14',
        written: '\\boxed{15}',
        message: 'step 3: "7 + 7 = \\\\boxed{15}": the left side is 14, not \\boxed{15}',
      },
    ]);
  });
});
