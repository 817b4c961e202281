import { describe, expect, it } from 'vitest';
import { gsm8kModelSolutionTrajectories } from '../sources/gsm8k.js';
import { toraTrajectory } from '../sources/tora.js';
import { readSharedJsonl } from '../test-support/shared-data.js';
import { findFabricatedToolOutput } from './fabricated-tool-output.js';
import { findTextFormToolCalls } from './text-form-tool-calls.js';

// Real trajectories whose tools did run: nothing in them is a text-form call or a made-up result.
describe('no false positives on real data', () => {
  it('the 1,320 ToRA solutions (every ```output block written by the interpreter)', () => {
    const records = readSharedJsonl('tora/gsm8k.dev.jsonl') as Record<string, unknown>[];
    let findings = 0;
    for (const record of records) {
      const { trajectory } = toraTrajectory(record);
      findings += findFabricatedToolOutput(trajectory).length;
      findings += findTextFormToolCalls(trajectory.steps).length;
    }
    expect(records).toHaveLength(1320);
    expect(findings).toBe(0);
  });

  it('the 2,640 GSM8K model solutions', () => {
    const records = readSharedJsonl('gsm8k/model-solutions.dev.jsonl') as Record<string, unknown>[];
    let solutions = 0;
    let findings = 0;
    for (const record of records) {
      for (const { trajectory } of gsm8kModelSolutionTrajectories(record).solutions) {
        solutions++;
        findings += findFabricatedToolOutput(trajectory).length;
        findings += findTextFormToolCalls(trajectory.steps).length;
      }
    }
    expect(solutions).toBe(2640);
    expect(findings).toBe(0);
  });
});
