import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  addModelOptions,
  addRepairModelOptions,
  LOCAL_MAX_TOKENS,
  LOCAL_TIMEOUT_MS,
  localDefaults,
  modelFlagsOf,
} from './model-options.js';

describe('model flags', () => {
  it('--base-url and --repair-base-url arrive as baseURL and repairBaseURL, the library spelling', () => {
    const command = addRepairModelOptions(addModelOptions(new Command('x'))).exitOverride();
    const args = ['--model', 'vllm:q', '--base-url', 'http://a/v1'];
    command.parse([...args, '--repair-model', 'vllm:r', '--repair-base-url', 'http://b/v1'], {
      from: 'user',
    });
    expect(modelFlagsOf(command.opts())).toEqual({
      model: 'vllm:q',
      baseURL: 'http://a/v1',
      repairModel: 'vllm:r',
      repairBaseURL: 'http://b/v1',
    });
  });
});

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

  it('runs as many calls at once as the workers have sequences with --local-batch', () => {
    expect(localDefaults('local:smollm2', 4).concurrency).toBe(
      Math.min(2, availableParallelism()) * 4,
    );
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
