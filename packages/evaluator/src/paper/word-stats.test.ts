import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { samples, textArb, trajectoryArb } from '../test-support/paper-arbitraries.js';
import { pySplit } from './python-text.js';
import { paperRepeatedTrigrams } from './quality.js';
import { paperWordStats, pyWordCount } from './word-stats.js';

/** The word list and a Map of trigrams: what the one-pass scan must equal. */
function reference(text: string) {
  const words = pySplit(text);
  const { repeated, total } = paperRepeatedTrigrams(words);
  return { words: words.length, trigrams: total, repeated };
}

describe('paperWordStats: Python split() words and summed repeated trigrams in one pass', () => {
  it('equals the word-list computation on generated texts (Python whitespace, tags, Unicode)', () => {
    const texts = [
      ...samples(textArb, 2000, 41),
      ...samples(trajectoryArb, 1000, 43),
      ...samples(fc.string({ unit: 'binary', maxLength: 200 }), 1000, 47),
    ];
    for (const text of texts) {
      expect(paperWordStats(text), JSON.stringify(text)).toEqual(reference(text));
      expect(pyWordCount(text)).toBe(pySplit(text).length);
    }
  });

  it('never counts trigrams whose words only share a hash', () => {
    // "w4pvu" and "wb3ea" have the same 32-bit FNV-1a hash, so these trigrams collide.
    const text = 'w4pvu a b wb3ea a b w4pvu a b';
    expect(paperWordStats(text)).toEqual({ words: 9, trigrams: 7, repeated: 2 });
    expect(paperWordStats('w4pvu x y wb3ea x y')).toEqual({ words: 6, trigrams: 4, repeated: 0 });
  });

  it('long texts (past its first buffers) and edge cases', () => {
    const long = Array.from({ length: 5000 }, (_, i) => `w${i % 700}`).join(' \u3000');
    expect(paperWordStats(long)).toEqual(reference(long));
    expect(paperWordStats('')).toEqual({ words: 0, trigrams: 0, repeated: 0 });
    // Under 6 words the paper never counts trigrams.
    expect(paperWordStats('a b c a b')).toEqual({ words: 5, trigrams: 0, repeated: 0 });
    expect(paperWordStats('a b c a b c x y z')).toEqual({ words: 9, trigrams: 7, repeated: 2 });
    // U+FEFF and U+200B are not whitespace for Python; \x1c and U+0085 are.
    expect(paperWordStats('a\ufeffb c\u200bd e\x1cf\x85g').words).toBe(5);
  });
});
