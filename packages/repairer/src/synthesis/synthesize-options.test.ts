import { createEvaluator } from '@autotraj/evaluator';
import { defaultPrompt, type ModelLike, resolvePrompt } from '@autotraj/generation';
import { RUN_DEFAULTS } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { createRepairer } from '../repair/repairer.js';
import type { SynthesizeOptions } from './synthesize.js';
import { resolveSynthesizeOptions } from './synthesize-options.js';

// Resolving never calls the model: its name is all that is read.
const model = { provider: 'vllm.chat', modelId: 'policy-7b' } as unknown as ModelLike;
const evaluator = createEvaluator({ preset: 'paper' });
const base = (overrides: Partial<SynthesizeOptions> = {}): SynthesizeOptions => ({
  tasks: [],
  policy: { model, tools: [] },
  repairer: createRepairer({ model, tools: [], evaluator }),
  evaluator,
  outDir: '/nonexistent',
  ...overrides,
});

describe('resolveSynthesizeOptions', () => {
  it("applies the paper's settings and the run defaults to what the caller left out", () => {
    const resolved = resolveSynthesizeOptions(base());
    expect(resolved).toMatchObject({
      n: 2,
      concurrency: 8,
      admission: 'well-formed',
      forceNew: false,
      shard: null,
      total: null,
      policy: {
        protocol: 'text-tags',
        maxToolCalls: 3,
        sampling: { temperature: 0.3 },
        modelName: 'vllm:policy-7b',
      },
      repairer: {
        strategy: 'regenerate',
        maxAttempts: 1,
        protocol: 'text-tags',
        maxToolCalls: 3,
        sampling: { temperature: 0 },
        modelName: null,
      },
    });
    expect(resolved.policy.prompt).toBe(defaultPrompt('generation', 'text-tags'));
    expect(resolved.repairer.prompt).toBe(defaultPrompt('repair', 'text-tags'));
    expect(resolved.n).toBe(RUN_DEFAULTS.n);
  });

  it('keeps every value the caller gave, and a seed beside the default temperature', () => {
    // Not the markdown default (markdown-example): the caller's template is kept.
    const prompt = resolvePrompt('markdown-system', { kind: 'generation', protocol: 'markdown' });
    const resolved = resolveSynthesizeOptions(
      base({
        n: 5,
        concurrency: 2,
        admission: 'none',
        forceNew: true,
        shard: { index: 1, count: 3, source: 'flag' },
        total: 40,
        policy: {
          model,
          tools: [],
          protocol: 'markdown',
          maxToolCalls: 6,
          sampling: { seed: 7 },
          prompt,
          modelName: 'mine',
        },
        repairer: createRepairer({
          model,
          tools: [],
          evaluator,
          strategy: 'resume',
          maxAttempts: 3,
          maxToolCalls: 5,
          sampling: { temperature: 0.5 },
          modelName: 'repairer-32b',
        }),
      }),
    );
    expect(resolved).toMatchObject({
      n: 5,
      concurrency: 2,
      admission: 'none',
      forceNew: true,
      shard: { index: 1, count: 3, source: 'flag' },
      total: 40,
      policy: {
        protocol: 'markdown',
        maxToolCalls: 6,
        sampling: { temperature: 0.3, seed: 7 },
        prompt,
        modelName: 'mine',
      },
      repairer: {
        strategy: 'resume',
        maxAttempts: 3,
        maxToolCalls: 5,
        sampling: { temperature: 0.5 },
        modelName: 'repairer-32b',
      },
    });
  });

  it('has no policy template when instructions replace it', () => {
    const resolved = resolveSynthesizeOptions(
      base({ policy: { model, tools: [], instructions: 'Answer in \\boxed{}.' } }),
    );
    expect(resolved.policy.prompt).toBeNull();
  });
});
