import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { samples, textArb, trajectoryArb } from '../test-support/paper-arbitraries.js';
import { keepDigitsDotMinus, pyRound, toFixed4 } from './python-text.js';

describe('keepDigitsDotMinus: re.sub(r"[^\\d.-]", "", text)', () => {
  it('keeps the same units as the regex on generated texts (ASCII, Unicode digits, binary)', () => {
    const texts = [
      ...samples(textArb, 1000, 81),
      ...samples(trajectoryArb, 500, 83),
      ...samples(fc.string({ unit: 'binary', maxLength: 80 }), 1000, 87),
      ...samples(fc.stringMatching(/^[0-9a-z .,\-\n]{0,60}$/), 1000, 89),
      '',
      '-12.5',
      'x=5, y=3',
      'A: 1,000.',
      '٤٢ and 42',
    ];
    for (const text of texts)
      expect(keepDigitsDotMinus(text), JSON.stringify(text)).toBe(
        text.replace(/[^\p{Nd}.-]+/gu, ''),
      );
  });
});

describe("toFixed4: the reasons' stored scores", () => {
  it('equals toFixed(4) on rounded scores and on any other number', () => {
    const values = [
      ...samples(fc.double({ min: 0, max: 1, noNaN: true }), 3000, 91).map((x) => pyRound(x, 4)),
      ...Array.from({ length: 10_001 }, (_, n) => n / 10_000),
      ...samples(fc.double({ noNaN: true }), 1000, 93),
      0.86,
      0.12345,
      -0,
      -0.5,
      1e21,
      Number.POSITIVE_INFINITY,
    ];
    for (const x of values) expect(toFixed4(x), String(x)).toBe(x.toFixed(4));
  });
});
