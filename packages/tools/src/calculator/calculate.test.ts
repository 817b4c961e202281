import { all, create } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { calculate, calculatorResultMatches, formatCalculatorValue } from './calculate.js';

describe('calculate', () => {
  it('evaluates arithmetic and formats like an annotation', () => {
    expect(calculate('48/2')).toEqual({ ok: true, value: 24, text: '24' });
    expect(calculate('3/4*80')).toMatchObject({ ok: true, text: '60' });
    expect(calculate('0.1+0.2')).toMatchObject({ ok: true, text: '0.3' });
    expect(calculate('10/3')).toMatchObject({ ok: true, text: '3.33333333333' });
    expect(calculate('2^10 + sqrt(16)')).toMatchObject({ ok: true, value: 1028 });
    expect(calculate('15*100000*(1+.5)')).toMatchObject({ ok: true, value: 2250000 });
  });

  it('normalizes GSM8K notation: thousands commas, $, vulgar fractions, percent', () => {
    expect(calculate('250+150+1,050+180')).toMatchObject({ ok: true, value: 1630 });
    expect(calculate('$10,440,000/2')).toMatchObject({ ok: true, value: 5220000 });
    expect(calculate('¾*12')).toMatchObject({ ok: true, value: 9 });
    expect(calculate('2½*2')).toMatchObject({ ok: true, value: 5 });
    expect(calculate('50%*10')).toMatchObject({ ok: true, value: 5 });
    expect(calculate('3 x 4')).toMatchObject({ ok: true, value: 12 });
  });

  it('refuses everything outside plain arithmetic, without throwing', () => {
    const hostile = [
      'import({x: 1}, {override: true})',
      'createUnit("foo")',
      'evaluate("1+1")',
      'parse("1")',
      'f(x) = x',
      'a = 3',
      '"abc"',
      '[1, 2, 3]',
      '{a: 1}',
      '2 inch to cm',
      'cos.constructor("return process")()',
      'x + 1',
    ];
    for (const expression of hostile) {
      const result = calculate(expression);
      expect(result.ok, expression).toBe(false);
    }
    expect(calculate('x + 1')).toMatchObject({ ok: false, error: { type: 'UndefinedSymbol' } });
    expect(calculate('1/0')).toMatchObject({ ok: false, error: { type: 'DivisionByZero' } });
    expect(calculate('5 / (0)')).toMatchObject({ ok: false, error: { type: 'DivisionByZero' } });
    expect(calculate('10^400')).toMatchObject({ ok: false, error: { type: 'Overflow' } });
    // Functions whose cost grows with their arguments are not offered.
    expect(calculate('combinations(1000000000, 500000000)')).toMatchObject({
      ok: false,
      error: { type: 'NotAllowed' },
    });
    expect(calculate('2 +* 3')).toMatchObject({ ok: false, error: { type: 'SyntaxError' } });
    expect(calculate('1+'.repeat(600))).toMatchObject({ ok: false, error: { type: 'TooLong' } });
  });

  it('formats values without float noise', () => {
    expect(formatCalculatorValue(1700000)).toBe('1700000');
    expect(formatCalculatorValue(7.5)).toBe('7.5');
    expect(formatCalculatorValue(1 / 3, 4)).toBe('0.3333');
  });

  it("formats every value as mathjs' format does (the short decimals skip mathjs)", () => {
    const math = create(all!, { number: 'number' });
    // The function as it was: integers by toFixed, everything else through mathjs.
    const viaMathjs = (value: number, precision: number) => {
      if (Number.isInteger(value) && Math.abs(value) < 1e21) return value.toFixed(0);
      const text = math.format(value, { precision, notation: 'auto', lowerExp: -9, upperExp: 21 });
      return text.includes('e') ? text : text.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
    };
    const values = [0.5, -0.5, 7.5, 0.1 + 0.2, 1 / 3, 2 / 3, 10 / 3, 1e-6, 1.5e-6, 1e-7, 1.5e-9];
    values.push(
      1e-10,
      123456.789,
      0.000123,
      1e20 + 0.5,
      2 ** 60 + 0.5,
      -1234.5678,
      9.9999999999995,
    );
    values.push(0.1234567890125, 99999999999.95, 999999999999.5, 1.0000000000005, Math.PI, Math.E);
    values.push(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e21, 1.5e22);
    // Quotients and products like annotations give, and decimals of 1 to 17 digits.
    for (let a = 1; a <= 120; a++) for (let b = 1; b <= 120; b++) values.push(a / b, -(a / b) / 7);
    for (let digits = 1; digits <= 17; digits++)
      for (let k = 1; k <= 60; k++)
        values.push(Number(`${k * 7919}`.slice(0, digits)) / 10 ** (k % 12));
    for (const value of values)
      for (const precision of [12, 4, 1, 15])
        expect(formatCalculatorValue(value, precision), `${value} at ${precision}`).toBe(
          viaMathjs(value, precision),
        );
  });
});

describe('calculatorResultMatches', () => {
  it('accepts trailing .0, commas and recorded rounding, rejects wrong results', () => {
    expect(calculatorResultMatches('60.0', calculate('3/4*80'))).toBe(true);
    expect(calculatorResultMatches('6,000', calculate('10000-4000'))).toBe(true);
    expect(calculatorResultMatches('3.33', calculate('10/3'))).toBe(true);
    expect(calculatorResultMatches('3.3', calculate('10/3'))).toBe(true);
    expect(calculatorResultMatches('3', calculate('10/3'))).toBe(false);
    expect(calculatorResultMatches('3.0', calculate('10/3'))).toBe(false);
    expect(calculatorResultMatches('1700000', calculate('15*100000*(1+.5)'))).toBe(false);
    expect(calculatorResultMatches('2180', calculate('250+150+1,050+180'))).toBe(false);
    expect(calculatorResultMatches('12', calculate('x+1'))).toBe(false);
    expect(calculatorResultMatches('$12', calculate('6*2'))).toBe(true);
  });
});
