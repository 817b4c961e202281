import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, resolvePythonLimits } from './types.js';

describe('resolvePythonLimits', () => {
  it('keeps the default of a limit given as undefined (a spread would leave a call unbounded)', () => {
    expect(resolvePythonLimits(undefined)).toEqual(DEFAULT_LIMITS);
    expect(resolvePythonLimits({ timeoutMs: undefined, memoryMb: 512 })).toEqual({
      ...DEFAULT_LIMITS,
      memoryMb: 512,
    });
    // The shared defaults are never written to.
    expect(DEFAULT_LIMITS.memoryMb).toBe(2048);
  });
});
