import { describe, expect, it } from 'vitest';
import { histogram, pairwiseAccuracy, rocAuc } from './metrics.js';

describe('metrics', () => {
  it('pairwise accuracy counts wins, ties as half', () => {
    expect(pairwiseAccuracy([1, 2, 3, 0], [0, 2, 4, -1])).toBe(2.5 / 4);
    expect(pairwiseAccuracy([], [])).toBeNaN();
    expect(() => pairwiseAccuracy([1], [])).toThrow(RangeError);
  });

  it('ROC AUC matches hand-computed values, with ties at half', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
    expect(rocAuc([1, 2, 3], [false, true, true])).toBe(1);
    expect(rocAuc([3, 2, 1], [false, true, true])).toBe(0);
    expect(rocAuc([1, 1, 1, 1], [false, true, false, true])).toBe(0.5);
    expect(rocAuc([1, 2], [true, true])).toBeNaN();
  });

  it('histogram bins values over the range, the last bin closed', () => {
    const h = histogram([0, 0.1, 0.5, 0.99, 1], { bins: 2 });
    expect(h.edges).toEqual([0, 0.5, 1]);
    expect(h.counts).toEqual([2, 3]);
    const fixed = histogram([-5, 0.2, 0.7, 9], { bins: 4, min: 0, max: 1 });
    expect(fixed.counts).toEqual([1, 0, 1, 0]);
    expect(histogram([], { bins: 3 })).toEqual({ edges: [], counts: [] });
    expect(() => histogram([1], { bins: 0 })).toThrow(RangeError);
  });
});
