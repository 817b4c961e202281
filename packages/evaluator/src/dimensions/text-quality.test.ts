import { describe, expect, it } from 'vitest';
import { confidenceDimension, lengthScore, repetitionScore } from './text-quality.js';
import { whitespaceWords } from './types.js';

describe('paper text dimensions', () => {
  it('confidence is 0 when any reasoning step hedges, naming the step', () => {
    const result = confidenceDimension({
      steps: [
        { type: 'think', text: 'Compute 2+2.' },
        { type: 'think', text: 'It Probably is 4.' },
        { type: 'answer', text: 'maybe 4' },
      ],
    });
    expect(result.score).toBe(0);
    expect(result.diagnostics).toEqual([
      { stepIndex: 1, code: 'confidence/uncertainty-word', message: 'reasoning says "Probably"' },
    ]);
    expect(
      confidenceDimension({ steps: [{ type: 'think', text: 'likelihood is not a hedge' }] }).score,
    ).toBe(1);
  });

  it('length follows the Gaussian around the shortest candidate', () => {
    expect(lengthScore(100, 100)).toBe(1);
    expect(lengthScore(150, 100)).toBeCloseTo(Math.exp(-0.5), 10);
    expect(lengthScore(200, 100)).toBeCloseTo(Math.exp(-2), 10);
  });

  it('repetition counts repeated word trigrams over all trigrams', () => {
    expect(repetitionScore(whitespaceWords('one two three')).score).toBe(1);
    // 8 words -> 6 trigrams; "a b c" occurs twice -> 1 repeated distinct trigram.
    expect(repetitionScore(whitespaceWords('a b c d a b c e')).score).toBeCloseTo(1 - 1 / 6, 10);
    expect(repetitionScore(whitespaceWords('x y z x y z x y z')).score).toBeCloseTo(1 - 3 / 7, 10);
  });
});
