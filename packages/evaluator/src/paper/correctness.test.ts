import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { samples, textArb } from '../test-support/paper-arbitraries.js';
import {
  paperCleanLatex,
  paperCleanLatexEquals,
  paperCoreAnswer,
  paperIsMathCorrect,
  paperNumbers,
} from './correctness.js';
import { PY_SPACE, pyStrip } from './python-text.js';

describe('paperNumbers: float() of every re.findall(r"-?\\d+(?:\\.\\d+)?") match', () => {
  it('finds the regex matches on generated ASCII answers and texts', () => {
    const texts = [
      ...samples(fc.stringMatching(/^[-0-9.,a ]{0,24}$/), 3000, 93),
      ...samples(textArb, 1000, 97).filter((t) => [...t].every((c) => c.charCodeAt(0) < 0x80)),
      '--5',
      '1-2',
      '1.2.3',
      '-.5',
      '5.',
      '007',
      '-0',
      'A: 90,000',
    ];
    for (const text of texts)
      expect(paperNumbers(text), JSON.stringify(text)).toEqual(
        [...text.matchAll(/-?[0-9]+(?:\.[0-9]+)?/g)].map((m) => Number(m[0])),
      );
  });

  it('reads Unicode digits once the text is not ASCII, wherever the first such unit is', () => {
    for (const [text, expected] of [
      ['\u0664\u0662 and 42', [42, 42]],
      ['5 \u00e9 -7.5', [5, -7.5]],
      ['-1.5 x\u0663', [-1.5, 3]],
      ['\u00e9', []],
    ] as const)
      expect(paperNumbers(text), JSON.stringify(text)).toEqual(expected);
  });
});

describe('paperCleanLatexEquals: paperCleanLatex(text) === clean, read in place', () => {
  it('agrees with the regex on generated LaTeX-like answers, against their cleaning and near misses', () => {
    const latexArb = fc
      .array(
        fc.constantFrom(
          '\\frac',
          '\\',
          '\\{',
          '\\1',
          '{',
          '}',
          ' ',
          'a',
          'B',
          '1',
          '.',
          '-',
          ',',
          'é',
          '\\dfrac{1}{2}',
          '\\text{ cm}',
          '$',
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join(''));
    const texts = [
      ...samples(latexArb, 3000, 95),
      ...samples(textArb, 500, 99),
      '',
      '\\',
      'A: 90,000',
    ];
    const cleans = texts.map(paperCleanLatex);
    for (const [i, text] of texts.entries())
      for (const clean of [
        cleans[i]!,
        cleans[(i + 1) % texts.length]!,
        `${cleans[i]}x`,
        cleans[i]!.slice(1),
      ])
        expect(paperCleanLatexEquals(text, clean), JSON.stringify([text, clean])).toBe(
          paperCleanLatex(text) === clean,
        );
  });
});

describe("is_math_correct's token sets, read in place", () => {
  it('agrees with re.split(r"[,\\s]+"), strip() and lower() on generated answers', () => {
    const split = new RegExp(`[,${PY_SPACE}]+`);
    const tokenSet = (text: string) =>
      new Set(
        text
          .split(split)
          .filter((piece) => piece !== '')
          .map((piece) => pyStrip(piece).toLowerCase()),
      );
    const sameSets = (a: Set<string>, b: Set<string>) =>
      a.size === b.size && [...a].every((token) => b.has(token));
    const numbers = (text: string) =>
      [...text.matchAll(/-?[0-9]+(?:\.[0-9]+)?/g)].map((m) => Number(m[0])).sort((a, b) => a - b);
    const answerArb = fc
      .array(
        fc.constantFrom(
          'x',
          'Y',
          'A:',
          '1',
          '2',
          ',',
          ' ',
          '\n',
          '\x1c',
          '\x85',
          '\u3000',
          '\ufeff',
          'İ',
          'ß',
        ),
        { maxLength: 8 },
      )
      .map((parts) => parts.join(''));
    const answers = samples(answerArb, 3000, 101);
    let byTokens = 0;
    for (const [i, gold] of answers.entries())
      for (const pred of [
        answers[(i * 7 + 1) % answers.length]!,
        [...gold].reverse().join(''),
        // The same tokens, each number twice: only the token sets can agree.
        `${gold}\u3000${gold.toUpperCase()},`,
      ]) {
        const core = paperCoreAnswer(gold);
        const p = pyStrip(pred);
        const tokens = sameSets(tokenSet(core), tokenSet(p));
        const expected =
          paperCleanLatex(p) === paperCleanLatex(core) ||
          numbers(p).join() === numbers(core).join() ||
          tokens;
        if (tokens && numbers(p).join() !== numbers(core).join()) byTokens++;
        expect(
          paperIsMathCorrect(gold, `<answer>${pred}</answer>`),
          JSON.stringify([gold, pred]),
        ).toBe(expected);
      }
    // Enough pairs that only the token sets decide.
    expect(byTokens).toBeGreaterThan(100);
  });
});
