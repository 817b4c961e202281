import { describe, expect, it } from 'vitest';
import { hashToken, scanTokenHashes, tokenize } from './tokenize.js';

describe('tokenize', () => {
  it('follows the documented rules: lower-cased words, number shapes, single punctuation', () => {
    expect(tokenize('Total_cost = 1,250 + 5.0 * x2; print(Ans)')).toEqual([
      'total_cost',
      '=',
      '<num:4>',
      '+',
      '<dec:1>',
      '*',
      'x2',
      ';',
      'print',
      '(',
      'ans',
      ')',
    ]);
    expect(tokenize('It is 5. Then 123456789 and 0.25')).toEqual([
      'it',
      'is',
      '<num:1>',
      '.',
      'then',
      '<num:7>',
      'and',
      '<dec:1>',
    ]);
    expect(tokenize('  \n\t ')).toEqual([]);
    expect(tokenize('café $40')).toEqual(['café', '$', '<num:2>']);
  });

  it('the hashing scanner sees exactly the documented tokens', () => {
    const texts = [
      'Natalia sold 48/2 = <<48/2=24>>24 clips in May.',
      'def f(x):\n    return x ** 2  # 3.14',
      'ÄÖÜ 1,000,000.5 __init__ a-b',
    ];
    for (const text of texts) {
      const out = new Int32Array(256);
      const n = scanTokenHashes(text, out, 0, 256);
      expect(Array.from(out.subarray(0, n))).toEqual(tokenize(text).map(hashToken));
    }
  });

  it('stops at the token budget', () => {
    const out = new Int32Array(8);
    expect(scanTokenHashes('a b c d e f', out, 2, 3)).toBe(5);
    expect(Array.from(out.subarray(2, 5))).toEqual(['a', 'b', 'c'].map(hashToken));
  });
});
