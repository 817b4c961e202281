import { describe, expect, it } from 'vitest';
import { RUN_DEFAULTS } from './defaults.js';

describe('RUN_DEFAULTS', () => {
  it("holds the paper's settings (ARCHITECTURE.md: 2 candidates at T=0.3, greedy repairs, 3 tool calls, GRPO groups of 4)", () => {
    expect(RUN_DEFAULTS).toMatchObject({
      n: 2,
      temperature: 0.3,
      repairTemperature: 0,
      maxToolCalls: 3,
      groupSize: 4,
      advantageEstimator: 'grpo',
      preset: 'paper',
    });
    // The project's gate, the same for synthesis and every training (repairer, rl, reward-model, CLI).
    expect(RUN_DEFAULTS.admission).toBe('well-formed');
  });

  it('cannot be changed at run time by one package under the others', () => {
    expect(Object.isFrozen(RUN_DEFAULTS)).toBe(true);
    expect(Object.isFrozen(RUN_DEFAULTS.eval)).toBe(true);
    expect(() => {
      (RUN_DEFAULTS as { maxToolCalls: number }).maxToolCalls = 5;
    }).toThrow(TypeError);
  });
});
