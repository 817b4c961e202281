import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { LOCAL_MAX_TOKENS, LOCAL_TIMEOUT_MS, localDefaults } from './model-options.js';

describe('localDefaults', () => {
  it('gives local: models a token cap, a long timeout, no empty retries, one call per worker', () => {
    expect(localDefaults('local:smollm2')).toEqual({
      maxTokens: LOCAL_MAX_TOKENS,
      // Gemma-3-270M greedy on gsm8k-test-58 ends its turn at once, on every retry.
      retry: { timeoutMs: LOCAL_TIMEOUT_MS, retryEmpty: false },
      // The CLI starts min(2, cores) workers; fewer calls at once would leave one idle.
      concurrency: Math.min(2, availableParallelism()),
    });
  });

  it('leaves server models to the server and the command defaults', () => {
    for (const model of ['openai:gpt-4o-mini', 'vllm:Qwen/Qwen2.5-7B', undefined])
      expect(localDefaults(model)).toEqual({
        maxTokens: undefined,
        retry: undefined,
        concurrency: undefined,
      });
  });
});
