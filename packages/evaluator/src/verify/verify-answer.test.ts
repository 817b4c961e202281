import { afterAll, describe, expect, it } from 'vitest';
import { EvaluatorError } from '../errors.js';
import { stopComparisonWorker } from './deadline.js';
import { isEquivalent, verifyAnswer, verifyAnswerAsync } from './verify-answer.js';

afterAll(() => stopComparisonWorker());

const equivalent = (gold: string, pred: string, options: Parameters<typeof isEquivalent>[2] = {}) =>
  isEquivalent(gold, pred, options);

describe('isEquivalent', () => {
  it('treats numbers written differently as equal', () => {
    expect(equivalent('1/2', '0.5')).toBe(true);
    expect(equivalent('7425000', '7,425,000')).toBe(true);
    expect(equivalent('\\frac{\\sqrt{3}}{2}', '\\sqrt3/2')).toBe(true);
    expect(equivalent('1\\frac{1}{2}', '1.5')).toBe(true);
    expect(equivalent('1 1/2', '3/2')).toBe(true);
    expect(equivalent('1.5 \\times 10^{3}', '1500')).toBe(true);
    expect(equivalent('25\\%', '25')).toBe(true);
    expect(equivalent('\\$18', '18')).toBe(true);
    expect(equivalent('1/3', '0.333')).toBe(false);
    expect(equivalent('12', '13')).toBe(false);
  });

  it('respects the precision option', () => {
    expect(equivalent('\\frac{8}{3}', '2.67', { precision: 2 })).toBe(true);
    expect(equivalent('\\frac{8}{3}', '2.67', { precision: 6 })).toBe(false);
  });

  it('compares expressions symbolically', () => {
    expect(equivalent('x^2+2x+1', '(x+1)^2')).toBe(true);
    expect(equivalent('x^2+2x+1', '(x+2)^2')).toBe(false);
    expect(equivalent('\\sin^2 x + \\cos^2 x', '1')).toBe(true);
    expect(equivalent('\\frac{x+2}{7}', '\\frac{x}{7}+\\frac{2}{7}')).toBe(true);
  });

  it('compares sets, intervals, tuples and matrices', () => {
    expect(equivalent('\\{1,2,3\\}', '\\{3,2,1\\}')).toBe(true);
    expect(equivalent('\\{1,2\\}', '\\{1,3\\}')).toBe(false);
    expect(equivalent('(0,1]', '(0,1)')).toBe(false);
    expect(equivalent('[0,1)', '[0,1)')).toBe(true);
    expect(equivalent('(1,2)', '(2,1)')).toBe(false);
    expect(equivalent('(1,\\frac{9}{2})', '(1,4.5)')).toBe(true);
    expect(
      equivalent('\\begin{pmatrix}1\\\\2\\end{pmatrix}', '\\begin{bmatrix}1\\\\2\\end{bmatrix}'),
    ).toBe(true);
    expect(equivalent('-2, 1', '1, -2')).toBe(true);
    expect(equivalent('\\{1\\} \\cup [2, 3]', '[2,3] \\cup \\{1\\}')).toBe(true);
    expect(equivalent('(-\\infty, 1] \\cup [2, \\infty)', '[2, \\infty) \\cup (-\\infty, 1]')).toBe(
      true,
    );
    expect(equivalent('2 \\le x < 5', 'x \\in [2, 5)')).toBe(true);
    expect(equivalent('2 \\le x < 5', 'x \\in [2, 5]')).toBe(false);
    expect(equivalent('x \\in [2, 5)', '2 \\le x < 5', { allowSetRelationComp: true })).toBe(true);
    expect(equivalent('x \\in [2, 5]', '2 \\le x < 5', { allowSetRelationComp: true })).toBe(false);
    expect(equivalent('\\{-1, 1\\}', '\\pm 1')).toBe(true);
  });

  it('reads degrees, units and label lists the way answers are written', () => {
    expect(equivalent('90^\\circ', '90')).toBe(true);
    expect(equivalent('\\tan 45^\\circ', '1')).toBe(true);
    expect(equivalent('5\\text{ cm}^2', '5')).toBe(true);
    expect(equivalent('0.06 \\text{ yuan}', '0.06')).toBe(true);
    expect(equivalent('x=1, x=2', 'x \\in \\{1,2\\}')).toBe(true);
    expect(equivalent('a=2, b=3', 'b=3, a=2')).toBe(true);
    expect(equivalent('a=2, b=3', 'a=3, b=2')).toBe(false);
    expect(equivalent('\\text{(C)}', 'C')).toBe(true);
  });

  // The categories the differential test against Math-Verify found (src/differential).
  it('reads percents as Math-Verify does: a value / 100, a whole percent also as the integer', () => {
    expect(equivalent('28\\%', '0.28')).toBe(true);
    expect(equivalent('28\\%', '28')).toBe(true);
    expect(equivalent('50', '50.0\\%')).toBe(true);
    expect(equivalent('13.18', '13.18\\%')).toBe(false);
    expect(equivalent('0.28', '28')).toBe(false);
    expect(equivalent('-30', '-30\\%')).toBe(false);
    expect(equivalent('25\\%', 'y = 25\\%')).toBe(true);
  });

  it('compares exact numbers exactly, however close their doubles', () => {
    expect(equivalent('3^{2007}', '3^{2008}')).toBe(false);
    expect(equivalent('2^{60}', '1152921504606846977')).toBe(false);
    expect(equivalent('2^{60}', '1152921504606846976')).toBe(true);
    expect(equivalent('\\frac{4036082}{4036081}', '\\frac{4036081}{4036082}')).toBe(false);
    expect(equivalent('\\frac{3}{8}', '\\frac{3}{0}')).toBe(false);
    expect(equivalent('\\frac{1}{3}', '0.333333')).toBe(true);
  });

  it('keeps clock times apart and reads ratios', () => {
    expect(equivalent('12:00', '1:00')).toBe(false);
    expect(equivalent('3:00', '3:00')).toBe(true);
    expect(equivalent('V_1:V_2 = 11:21', '\\frac{11}{21}')).toBe(true);
  });

  it('reads matrix notations, \\textnormal, \\approx after a name, \\pm lists and degrees in relations', () => {
    const pmatrix = '\\begin{pmatrix} 3 & 2 \\\\ 0 & -7 \\end{pmatrix}';
    expect(
      equivalent(pmatrix, '\\left[\\begin{array}{cc} 3 & 2 \\\\ 0 & -7 \\end{array}\\right]'),
    ).toBe(true);
    expect(
      equivalent(pmatrix, '\\left(\\begin{array}{rr} 3 & 2 \\\\ 0 & -7 \\end{array}\\right)'),
    ).toBe(true);
    expect(
      equivalent(pmatrix, '\\left[\\begin{array}{cc} 3 & 2 \\\\ 0 & 7 \\end{array}\\right]'),
    ).toBe(false);
    expect(equivalent('125', '125\\textnormal{ miles}')).toBe(true);
    expect(equivalent('37.5', 'x \\approx 37.50')).toBe(true);
    expect(equivalent('\\frac{1}{3}', '\\frac{1}{3} \\approx 0.33')).toBe(true);
    expect(equivalent('3 \\pm 2\\sqrt{2}', '3 + 2\\sqrt{2}, 3 - 2\\sqrt{2}')).toBe(true);
    expect(equivalent('-4, 4', '\\pm 4')).toBe(true);
    expect(equivalent('3 \\pm 2\\sqrt{2}', '3 + 2\\sqrt{2}')).toBe(false);
    expect(equivalent('52^\\circ', 'y = 52^\\circ')).toBe(true);
    expect(equivalent('45^\\circ, 135^\\circ', '135, 45')).toBe(true);
  });

  it('compares equations and inequalities', () => {
    expect(equivalent('y = 2x + 1', 'y - 1 = 2x')).toBe(true);
    expect(equivalent('x \\ge 3', '3 \\le x')).toBe(true);
    expect(equivalent('x > 3', 'x \\ge 3')).toBe(false);
    expect(equivalent('k = 1', '1')).toBe(true);
    expect(equivalent('a^2 + b = 0', '0')).toBe(false);
    // A chain the engine cannot read as a whole is its final equation's side (Math-Verify).
    expect(equivalent('1 = \\zzz = x = 0', '0')).toBe(true);
    expect(equivalent('1 = \\zzz = x = 0', '1')).toBe(false);
    expect(equivalent('x = 5 + 6 = 11', '11')).toBe(true);
  });

  it('evaluates operations on finite sets', () => {
    expect(equivalent('\\{1,3\\} \\cup \\{2,4\\}', '\\{1,2,3,4\\}')).toBe(true);
    expect(equivalent('\\{1,3\\} \\cup \\{2,4\\}', '\\{1,2,3\\}')).toBe(false);
    expect(equivalent('\\{1,2\\} \\cap \\{2,3\\}', '\\{2\\}')).toBe(true);
  });

  it('honours strict and allowSetRelationComp as Math-Verify does', () => {
    // strict (the default, as in Math-Verify): variables matter (`f(x)` is not `f(y)`, `x = 1`
    // is not `y = 1`); without it the prediction's variable is renamed to the gold's.
    expect(equivalent('f(x)', 'f(y)')).toBe(false);
    expect(equivalent('f(x)', 'f(y)', { strict: false })).toBe(true);
    expect(equivalent('x = 1', 'y = 1')).toBe(false);
    expect(equivalent('x = 1', 'y = 1', { strict: false })).toBe(true);
    expect(equivalent('\\sin^2 x + \\cos^2 x', '1', { strict: true })).toBe(true);
    expect(equivalent('x+1', 't+2')).toBe(false);
    // Label equations unwrap whatever strict says: a gold assignment stands for its value,
    // a predicted equation for its last right side.
    expect(equivalent('k = 1', '1', { strict: true })).toBe(true);
    expect(equivalent('f(x) = 1', '1', { strict: true })).toBe(true);
    expect(equivalent('11', 'x = 11', { strict: true })).toBe(true);
    expect(equivalent('5', '5 = x')).toBe(false);
    // A gold relation matches a predicted interval; the other way round only with
    // allowSetRelationComp.
    expect(equivalent('x < 2', '(-\\infty, 2)')).toBe(true);
    expect(equivalent('(-\\infty, 2)', 'x < 2')).toBe(false);
    expect(equivalent('(-\\infty, 2)', 'x < 2', { allowSetRelationComp: true })).toBe(true);
    expect(equivalent('x \\in [-2,7]', '-2 \\le x \\le 7')).toBe(false);
    expect(equivalent('-2 \\le x \\le 7', 'x \\in [-2,7]')).toBe(true);
  });

  it('reads a gold tuple against a predicted set in the order the prediction wrote', () => {
    expect(equivalent('(3, 1)', '\\{1, 3\\}')).toBe(false);
    expect(equivalent('(3, 1)', '\\{3, 1\\}')).toBe(true);
    expect(equivalent('\\{1, 3\\}', '(3, 1)')).toBe(true);
    expect(equivalent('(3,1)', '{1,3}')).toBe(false);
    expect(equivalent('(3,1)', '3, 1')).toBe(true);
  });

  it('reads separators and thousands as latex2sympy normalises them', () => {
    expect(equivalent('14{,}916', '14 {, }916')).toBe(true);
    expect(equivalent('16386.20', '\\$16,\\!386.20')).toBe(true);
    expect(equivalent('(11,7)or(7,11)', '(7,11),\\ (11,7)')).toBe(true);
    expect(equivalent('(11,7)or(7,11)', '(7,11)')).toBe(false);
  });

  it('rejects invalid options with a typed error', () => {
    expect(() => equivalent('1', '1.5', { precision: -1 })).toThrow(EvaluatorError);
  });
});

describe('verifyAnswer', () => {
  it('extracts from free text and reports what it compared', () => {
    const result = verifyAnswer({
      gold: '#### 72.0',
      pred: 'She sold 48/2 = 24 clips in May.\nA: 72',
    });
    expect(result).toMatchObject({
      equivalent: true,
      extractedGold: ['72.0'],
      extractedPred: ['72'],
      method: 'number',
      timedOut: false,
    });
  });

  it('finds the answer in long unboxed solutions as Math-Verify does', () => {
    // The closing "The final answer is x. I hope it is correct." outranks a box written earlier.
    const closing =
      'The interest is $\\boxed{255}$, so she has $10,200 + $255 = $10,455. Final Answer: The final answer is $10,455$. I hope it is correct.';
    expect(verifyAnswer({ gold: '$10455$', pred: closing })).toMatchObject({
      equivalent: true,
      extractedPred: ['10,455'],
    });
    // Without the closing, the box stays the answer.
    expect(
      verifyAnswer({ gold: '$255$', pred: 'So $\\boxed{255}$. The final answer is $10,455$.' })
        .equivalent,
    ).toBe(true);
    // A fraction written in prose is one expression, not its last number.
    const prose =
      'P(A) = (1/2) / (3/4) P(A) = 2/3 Therefore, the probability that Alice wins the game is 2/3. <|im_start|>user';
    expect(verifyAnswer({ gold: '$2/3$', pred: prose })).toMatchObject({
      equivalent: true,
      extractedPred: ['2/3'],
    });
    expect(verifyAnswer({ gold: '$3$', pred: prose }).equivalent).toBe(false);
    // A number stands after a space, `=` or the start: `horse #12` is no answer (ToRA output).
    const tora = '```output\n16.0\n```\n16 people think that horse #12 will win the big race.';
    expect(verifyAnswer({ gold: '16', pred: tora })).toMatchObject({
      equivalent: true,
      extractedPred: ['16'],
    });
    expect(
      verifyAnswer({ gold: '1000.99', pred: "it's 1,000.99m²", match: ['expr'] }).equivalent,
    ).toBe(true);
  });

  it('accepts several golds', () => {
    expect(verifyAnswer({ gold: ['5', '\\frac{1}{2}'], pred: 'so \\boxed{0.5}' }).equivalent).toBe(
      true,
    );
    expect(verifyAnswer({ gold: ['5', '6'], pred: 'so \\boxed{0.5}' }).equivalent).toBe(false);
  });

  it('returns not-equivalent without an answer in the prediction', () => {
    expect(verifyAnswer({ gold: '5', pred: 'I do not know.', match: ['latex'] })).toMatchObject({
      equivalent: false,
      extractedPred: [],
    });
  });

  it('bounds every comparison in time: pathological LaTeX times out and later comparisons still work', () => {
    const started = Date.now();
    const slow = verifyAnswer({ gold: '$2$', pred: '$9^{9^{9^{9}}}$', timeoutMs: 500 });
    expect(slow).toMatchObject({ equivalent: false, timedOut: true, method: 'symbolic' });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(verifyAnswer({ gold: '$\\frac{1}{2}$', pred: '$\\sqrt{1/4}$' })).toMatchObject({
      equivalent: true,
      timedOut: false,
    });
  });

  it('reads decimal commas on marker lines and joins answers given as separate spans', () => {
    expect(verifyAnswer({ gold: '84.5', pred: 'work\n#### 84,5' }).equivalent).toBe(true);
    // A leading 0 starts no thousands group: `0,111` is 0.111 (Math-Verify's number pattern).
    expect(verifyAnswer({ gold: '0,111', pred: '0.111', match: ['expr'] }).equivalent).toBe(true);
    expect(verifyAnswer({ gold: '111', pred: '0,111', match: ['expr'] }).equivalent).toBe(false);
    expect(verifyAnswer({ gold: '1,22', pred: '1.22', match: ['expr'] }).equivalent).toBe(true);
    expect(
      verifyAnswer({ gold: '$45, 135$', pred: 'The solutions are $45$ or $135$.' }).equivalent,
    ).toBe(true);
  });

  it('can run inline (no worker) when asked', () => {
    expect(
      verifyAnswer({ gold: '$x^2-1$', pred: '$(x-1)(x+1)$', isolation: 'inline' }).equivalent,
    ).toBe(true);
  });

  it('has an async variant that keeps the event loop running under the deadline', async () => {
    let ticks = 0;
    const interval = setInterval(() => ticks++, 20);
    try {
      const slow = await verifyAnswerAsync({
        gold: '$2$',
        pred: '$9^{9^{9^{9}}}$',
        timeoutMs: 600,
      });
      expect(slow).toMatchObject({ equivalent: false, timedOut: true });
      expect(ticks).toBeGreaterThan(5);
    } finally {
      clearInterval(interval);
    }
    const results = await Promise.all([
      verifyAnswerAsync({ gold: '$\\frac{1}{2}$', pred: '$0.5$' }),
      verifyAnswerAsync({ gold: '$x^2-1$', pred: '$(x-1)(x+1)$' }),
      verifyAnswerAsync({ gold: '$\\{1,2\\}$', pred: '$\\{1,3\\}$' }),
    ]);
    expect(results.map((r) => r.equivalent)).toEqual([true, true, false]);
  });
});
