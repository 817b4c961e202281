import { describe, expect, it } from 'vitest';
import { toraTrajectory } from '../sources/tora.js';
import { readSharedJsonl } from '../test-support/shared-data.js';
import { findIdleToolCalls } from './idle-tool-call.js';

describe('findIdleToolCalls on real tool calls', () => {
  it('finds no echo among the 1,320 calls of the ToRA solutions, every one of which ran', () => {
    const records = readSharedJsonl('tora/gsm8k.dev.jsonl') as Record<string, unknown>[];
    let calls = 0;
    const idle: string[] = [];
    for (const record of records) {
      const { trajectory } = toraTrajectory(record);
      calls += trajectory.steps.filter((step) => step.type === 'tool-call').length;
      idle.push(...findIdleToolCalls(trajectory).map((call) => call.message));
    }
    expect(calls).toBe(1320);
    expect(idle).toEqual([]);
  });
});
