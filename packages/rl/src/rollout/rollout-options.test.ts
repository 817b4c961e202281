import type { ToolRuntime } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { RlConfigError } from '../errors.js';
import type { Reward } from '../reward/create-reward.js';
import { resolveRolloutOptions } from './rollout-options.js';

const tool: ToolRuntime = {
  name: 'calculator',
  run: async () => ({ output: '4', isError: false, durationMs: 0 }),
};

describe('resolveRolloutOptions', () => {
  it("applies the paper's reward, estimator and tool budget and the run defaults", () => {
    const resolved = resolveRolloutOptions({ prompts: [], groupSize: 4, outDir: '/nonexistent' });
    expect(resolved).toMatchObject({
      groupSize: 4,
      concurrency: 8,
      tools: [],
      rewardPreset: 'paper',
      rewardBatchSize: 32,
      rewardMaxWaitMs: 50,
      advantage: { estimator: 'grpo' },
      runTag: '',
      forceNew: false,
      protocol: 'text-tags',
      maxToolCalls: 3,
    });
    expect(resolved.reward.preset).toBe('paper');
  });

  it('keeps every value the caller gave', () => {
    const reward: Reward = { score: async () => [] };
    const resolved = resolveRolloutOptions({
      prompts: [],
      groupSize: 2,
      outDir: '/nonexistent',
      tools: [tool],
      reward,
      preset: 'autotraj',
      concurrency: 3,
      rewardBatchSize: 0,
      rewardMaxWaitMs: 5,
      advantage: { estimator: 'rloo', std: 'population' },
      runTag: 'epoch-2',
      forceNew: true,
      generation: { protocol: 'markdown', maxToolCalls: 6 },
    });
    expect(resolved).toMatchObject({
      groupSize: 2,
      concurrency: 3,
      tools: [tool],
      reward,
      // A custom reward without a preset of its own records the caller's preset.
      rewardPreset: 'autotraj',
      // At least one trajectory per reward call.
      rewardBatchSize: 1,
      rewardMaxWaitMs: 5,
      advantage: { estimator: 'rloo', std: 'population' },
      runTag: 'epoch-2',
      forceNew: true,
      protocol: 'markdown',
      maxToolCalls: 6,
    });
  });

  it('refuses a group size, concurrency or tools it cannot run with, naming the option', () => {
    const refused = (options: Parameters<typeof resolveRolloutOptions>[0]) => {
      try {
        resolveRolloutOptions(options);
      } catch (error) {
        if (RlConfigError.isInstance(error)) return error.option;
        throw error;
      }
      return null;
    };
    const base = { prompts: [], outDir: '/nonexistent' };
    expect(refused({ ...base, groupSize: 0 })).toBe('groupSize');
    expect(refused({ ...base, groupSize: 2.5 })).toBe('groupSize');
    expect(refused({ ...base, groupSize: 4, concurrency: 0 })).toBe('concurrency');
    expect(
      refused({ ...base, groupSize: 4, tools: { tools: [tool] } as unknown as ToolRuntime[] }),
    ).toBe('tools');
  });
});
