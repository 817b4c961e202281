import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UNCERTAINTY_WORDS } from '../dimensions/text-quality.js';
import {
  pieces,
  samples,
  separators,
  textArb,
  trajectoryArb,
} from '../test-support/paper-arbitraries.js';
import { HEDGE_MIN_LENGTH, LETTER_BIT, lettersMayHedge } from './hedge-scan.js';
import { pySplit } from './python-text.js';
import { paperRepeatedTrigrams, paperUncertaintyWord } from './quality.js';
import { paperWordStats, pyWordCount } from './word-stats.js';

/** The word list and a Map of trigrams: what the one-pass scan must equal. */
function reference(text: string) {
  const words = pySplit(text);
  const { repeated, total } = paperRepeatedTrigrams(words);
  return { words: words.length, trigrams: total, repeated };
}

const counts = (text: string) => {
  const { words, trigrams, repeated } = paperWordStats(text);
  return { words, trigrams, repeated };
};

const ascii = (s: string) => [...s].every((c) => c.charCodeAt(0) < 0x80);
/** ASCII texts: the ones the scan's hedge automaton decides on its own. */
const asciiTextArb = fc
  .array(
    fc.tuple(
      fc.constantFrom(...pieces.filter(ascii), 'Maybe,', '2maybe', 'seems_', 'x=likely+y'),
      fc.constantFrom(...separators.filter(ascii)),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.map(([piece, sep]) => piece + sep).join(''));
/** The automaton's specification on ASCII: a word, any case, with no ASCII word character beside it. */
const HEDGE_ANYWHERE = new RegExp(
  `(?<![A-Za-z0-9_])(?:${UNCERTAINTY_WORDS.join('|')})(?![A-Za-z0-9_])`,
  'i',
);

describe('paperWordStats: Python split() words and summed repeated trigrams in one pass', () => {
  it('equals the word-list computation on generated texts (Python whitespace, tags, Unicode)', () => {
    const texts = [
      ...samples(textArb, 2000, 41),
      ...samples(trajectoryArb, 1000, 43),
      ...samples(fc.string({ unit: 'binary', maxLength: 200 }), 1000, 47),
    ];
    for (const text of texts) {
      expect(counts(text), JSON.stringify(text)).toEqual(reference(text));
      expect(pyWordCount(text)).toBe(pySplit(text).length);
    }
  });

  it('never counts trigrams whose words only share a hash', () => {
    // "w4pvu" and "wb3ea" have the same 32-bit FNV-1a hash, so these trigrams collide.
    const text = 'w4pvu a b wb3ea a b w4pvu a b';
    expect(counts(text)).toEqual({ words: 9, trigrams: 7, repeated: 2 });
    expect(counts('w4pvu x y wb3ea x y')).toEqual({ words: 6, trigrams: 4, repeated: 0 });
    // Read as bytes, a word's hash is its length and first and last 4 bytes: these share it.
    expect(counts('abcdXefgh p q abcdYefgh p q')).toEqual({ words: 6, trigrams: 4, repeated: 0 });
    expect(counts('abcdXefgh p q abcdXefgh p q')).toEqual({ words: 6, trigrams: 4, repeated: 2 });
    // Lone surrogates are distinct words (UTF-8 would make each of them U+FFFD).
    expect(counts('\ud800 p q \ud801 p q')).toEqual({ words: 6, trigrams: 4, repeated: 0 });
    expect(counts('\ud800 p q \ud800 p q')).toEqual({ words: 6, trigrams: 4, repeated: 2 });
  });

  it('mayHedge: false only when no uncertainty word can be in the text, and so on most ASCII texts', () => {
    const texts = [
      ...samples(asciiTextArb, 2000, 51),
      ...samples(textArb, 1000, 53),
      ...samples(trajectoryArb, 1000, 55),
    ];
    let ruledOut = 0;
    for (const text of texts) {
      const { mayHedge } = paperWordStats(text);
      // Never wrong for the paper: a hedge in a think block is a hedge somewhere.
      if (paperUncertaintyWord(text) !== null) expect(mayHedge, JSON.stringify(text)).toBe(true);
      // Exactly its specification on ASCII texts; the regexes decide every other text.
      expect(mayHedge, JSON.stringify(text)).toBe(!ascii(text) || HEDGE_ANYWHERE.test(text));
      if (!mayHedge) ruledOut++;
    }
    expect(ruledOut).toBeGreaterThan(500);
    expect(paperWordStats('<think>I am sure.</think> Maybe').mayHedge).toBe(true);
    expect(paperWordStats('<think>Mayber, 2maybe, maybe_ and seemsx.</think>').mayHedge).toBe(
      false,
    );
    expect(paperWordStats('perhaps').mayHedge).toBe(true);
    // re.I folds ſ into s: non-ASCII texts are left to the regexes.
    expect(paperWordStats('<think>ſeems</think>').mayHedge).toBe(true);
  });

  it('the letter filter never rules out a word that holds an uncertainty word', () => {
    const lettersOf = (word: string) => {
      let set = 0;
      for (let k = 0; k < word.length; k++) set |= LETTER_BIT[word.charCodeAt(k)] ?? 0;
      return set;
    };
    const asciiWord = fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 12,
    });
    const words = [
      ...samples(asciiWord, 3000, 57),
      ...samples(
        fc
          .tuple(asciiWord, fc.constantFrom(...UNCERTAINTY_WORDS), asciiWord, fc.boolean())
          .map(([a, w, b, upper]) => `${a}${upper ? w.toUpperCase() : w}${b}`),
        3000,
        59,
      ),
    ];
    let ruledOut = 0;
    for (const word of words) {
      const may = word.length >= HEDGE_MIN_LENGTH && lettersMayHedge(lettersOf(word));
      if (HEDGE_ANYWHERE.test(word)) expect(may, word).toBe(true);
      if (!may) ruledOut++;
    }
    expect(ruledOut).toBeGreaterThan(1500);
    expect(lettersMayHedge(lettersOf('<calculator>80000*.5</calculator>'))).toBe(false);
    expect(lettersMayHedge(lettersOf('(Probably)'))).toBe(true);
  });

  it('long texts (past its first buffers) and edge cases', () => {
    const long = Array.from({ length: 5000 }, (_, i) => `w${i % 700}`).join(' \u3000');
    expect(counts(long)).toEqual(reference(long));
    // Read as bytes up to 8192 units (the most words and trigrams fit), as a word list past it.
    for (const size of [1000, 40_000])
      for (const sep of [' ', '\n', ' \xe9 ']) {
        const text = Array.from({ length: size }, (_, i) => `w${i % 900}`).join(sep);
        expect(counts(text)).toEqual(reference(text));
      }
    for (const text of ['a '.repeat(4096), ` ${'a '.repeat(4096)}`, `${'ab '.repeat(2730)}ab`])
      expect(counts(text), `${text.length} units`).toEqual(reference(text));
    expect(counts('')).toEqual({ words: 0, trigrams: 0, repeated: 0 });
    // Under 6 words the paper never counts trigrams.
    expect(counts('a b c a b')).toEqual({ words: 5, trigrams: 0, repeated: 0 });
    expect(counts('a b c a b c x y z')).toEqual({ words: 9, trigrams: 7, repeated: 2 });
    // U+FEFF and U+200B are not whitespace for Python; \x1c and U+0085 are.
    expect(paperWordStats('a\ufeffb c\u200bd e\x1cf\x85g').words).toBe(5);
  });
});
