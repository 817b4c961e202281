import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { samples, textArb } from '../test-support/paper-arbitraries.js';
import { paperNumbers } from './correctness.js';

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
});
