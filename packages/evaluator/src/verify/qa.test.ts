import { describe, expect, it } from 'vitest';
import { normalizeQaAnswer, qaExactMatch, qaF1 } from './qa.js';

describe('QA answers (SQuAD normalisation)', () => {
  it('normalises case, punctuation and articles', () => {
    expect(normalizeQaAnswer('The  Eiffel Tower!')).toBe('eiffel tower');
    expect(qaExactMatch('the eiffel tower', ['Eiffel Tower', 'La tour Eiffel'])).toBe(true);
    expect(qaExactMatch('Paris', 'Eiffel Tower')).toBe(false);
  });

  it('scores token F1 against the best gold', () => {
    expect(qaF1('Barack Obama', ['Obama', 'Barack Hussein Obama'])).toBeCloseTo(0.8, 5);
    expect(qaF1('George Bush', 'Barack Obama')).toBe(0);
    expect(qaF1('', '')).toBe(1);
  });
});
