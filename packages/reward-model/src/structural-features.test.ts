import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNumeric } from './structural-features.js';

/** The straightforward definition parseNumeric's fast path must agree with. */
function reference(text: string): number | null {
  const cleaned = text
    .trim()
    .replace(/^\$/, '')
    .replace(/[%$]$/, '')
    .replaceAll(',', '')
    .replace(/\.$/, '');
  if (cleaned === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}

describe('parseNumeric', () => {
  it('reads tool-result and answer numbers', () => {
    expect(parseNumeric('15.0')).toBe(15);
    expect(parseNumeric(' -3 ')).toBe(-3);
    expect(parseNumeric('$1,200.50')).toBe(1200.5);
    expect(parseNumeric('40%')).toBe(40);
    expect(parseNumeric('7.')).toBe(7);
    expect(parseNumeric('1e3')).toBe(1000);
    expect(parseNumeric('x = 5')).toBeNull();
    expect(parseNumeric('')).toBeNull();
    expect(parseNumeric('-')).toBeNull();
    expect(parseNumeric('5.')).toBe(5);
  });

  it('agrees with the reference definition on arbitrary numeric-looking text', () => {
    const piece = fc.constantFrom(
      '0',
      '1',
      '9',
      '12',
      '.',
      ',',
      '-',
      '+',
      ' ',
      '\n',
      '$',
      '%',
      'e',
      'x',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (parts) => {
        const text = parts.join('');
        expect(parseNumeric(text)).toBe(reference(text));
      }),
      { numRuns: 2000, seed: 42 },
    );
  });
});
