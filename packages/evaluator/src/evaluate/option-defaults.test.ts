import { describe, expect, it } from 'vitest';
import { createEvaluator } from '../index.js';

// The entry check accepts an optional key given as undefined; the evaluator must take it as
// absent (the default), not spread it over the default.
describe('createEvaluator: an option given as undefined keeps its default', () => {
  it('thresholds', () => {
    const preset = createEvaluator({ preset: 'paper' }).thresholds;
    const given = createEvaluator({
      preset: 'paper',
      thresholds: { keepAll: undefined, keepBest: 0.5 } as never,
    }).thresholds;
    expect(given).toEqual({ ...preset, keepBest: 0.5 });
  });
});
