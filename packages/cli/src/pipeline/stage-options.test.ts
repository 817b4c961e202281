import { demoFixtures } from '@autotraj/repairer';
import { describe, expect, it } from 'vitest';
import { LOCAL_MAX_TOKENS, LOCAL_TIMEOUT_MS } from '../model-options.js';
import {
  resolveEvalStageOptions,
  resolvePipelineOptions,
  resolveRolloutStageOptions,
  resolveSynthesisStageOptions,
} from './stage-options.js';

const localRetry = { timeoutMs: LOCAL_TIMEOUT_MS, retryEmpty: false };

describe('resolveSynthesisStageOptions', () => {
  it("applies the CLI's 4 candidates, the paper's sampling and tool budget, and the run defaults", () => {
    expect(resolveSynthesisStageOptions({ outDir: 'out' })).toEqual({
      tasks: demoFixtures.tasksPath,
      n: 4,
      concurrency: 8,
      protocol: 'text-tags',
      maxToolCalls: 3,
      temperature: 0.3,
      preset: 'paper',
      strategy: 'regenerate',
      maxAttempts: 1,
      maxTokens: undefined,
      retry: undefined,
      repairRetry: undefined,
      forceNew: false,
    });
  });

  it('keeps the values given; a local: policy gets the local token cap and retries, a server repairer its own', () => {
    expect(
      resolveSynthesisStageOptions({
        outDir: 'out',
        tasks: 'mine.jsonl',
        n: 2,
        concurrency: 1,
        protocol: 'markdown',
        maxToolCalls: 5,
        temperature: 0.7,
        preset: 'autotraj',
        strategy: 'resume',
        maxAttempts: 2,
        model: 'local:smollm2',
        repairModel: 'openai:gpt-4o',
        forceNew: true,
      }),
    ).toEqual({
      tasks: 'mine.jsonl',
      n: 2,
      concurrency: 1,
      protocol: 'markdown',
      maxToolCalls: 5,
      temperature: 0.7,
      preset: 'autotraj',
      strategy: 'resume',
      maxAttempts: 2,
      maxTokens: LOCAL_MAX_TOKENS,
      retry: localRetry,
      repairRetry: undefined,
      forceNew: true,
    });
    expect(
      resolveSynthesisStageOptions({ outDir: 'out', model: 'local:smollm2', maxTokens: 64 })
        .maxTokens,
    ).toBe(64);
  });
});

describe('resolveRolloutStageOptions', () => {
  const required = { prompts: 'p.jsonl', groupSize: 4, outDir: 'out' };

  it('samples at temperature 1 with the paper reward, GRPO and 3 tool calls by default', () => {
    expect(resolveRolloutStageOptions(required)).toEqual({
      protocol: 'text-tags',
      preset: 'paper',
      tools: ['calculator', 'python'],
      maxToolCalls: 3,
      temperature: 1,
      estimator: 'grpo',
      concurrency: 8,
      runTag: '',
      forceNew: false,
      maxTokens: undefined,
      retry: undefined,
    });
  });

  it('keeps the values given', () => {
    expect(
      resolveRolloutStageOptions({
        ...required,
        protocol: 'native',
        preset: 'autotraj',
        tools: ['python'],
        maxToolCalls: 0,
        temperature: 0,
        estimator: 'rloo',
        concurrency: 2,
        runTag: 'epoch-1',
        forceNew: true,
        model: 'local',
        maxTokens: 100,
      }),
    ).toEqual({
      protocol: 'native',
      preset: 'autotraj',
      tools: ['python'],
      maxToolCalls: 0,
      temperature: 0,
      estimator: 'rloo',
      concurrency: 2,
      runTag: 'epoch-1',
      forceNew: true,
      maxTokens: 100,
      retry: localRetry,
    });
  });
});

describe('resolveEvalStageOptions', () => {
  it('evaluates one greedy sample per question with tools, 4 at once, by default', () => {
    expect(resolveEvalStageOptions({ outDir: 'out' })).toEqual({
      protocol: 'text-tags',
      n: 1,
      temperature: 0,
      seed: 0,
      maxToolCalls: 3,
      concurrency: 4,
      mathChecker: 'builtin',
      withTools: true,
      forceNew: false,
      maxTokens: undefined,
      retry: undefined,
    });
  });

  it('keeps the values given; a local: model runs one sample per worker unless told', () => {
    expect(
      resolveEvalStageOptions({
        outDir: 'out',
        protocol: 'markdown',
        n: 8,
        temperature: 0.6,
        seed: 3,
        maxToolCalls: 4,
        concurrency: 16,
        mathChecker: 'math-verify',
        tools: 'none',
        forceNew: true,
        maxTokens: 2048,
      }),
    ).toMatchObject({
      protocol: 'markdown',
      n: 8,
      temperature: 0.6,
      seed: 3,
      maxToolCalls: 4,
      concurrency: 16,
      mathChecker: 'math-verify',
      withTools: false,
      forceNew: true,
      maxTokens: 2048,
    });
    const local = resolveEvalStageOptions({ outDir: 'out', model: 'local:smollm2' });
    expect(local.concurrency).toBeGreaterThanOrEqual(1);
    expect(local.concurrency).toBeLessThanOrEqual(2);
    expect(local.maxTokens).toBe(LOCAL_MAX_TOKENS);
  });
});

describe('resolvePipelineOptions', () => {
  it('runs offline on the demo problems with 4 candidates, GRPO groups of 4 at T=0.3 by default', () => {
    expect(resolvePipelineOptions({})).toEqual({
      live: false,
      tasks: demoFixtures.tasksPath,
      n: 4,
      groupSize: 4,
      concurrency: 8,
      temperature: 0.3,
      protocol: 'text-tags',
      minPairs: 4,
      maxTokens: undefined,
      rolloutLimit: undefined,
      admission: 'well-formed',
      forceNew: false,
    });
  });

  it('keeps the values given; rollouts never cover more tasks than the limit', () => {
    expect(
      resolvePipelineOptions({
        model: 'local:smollm2',
        tasks: 't.jsonl',
        n: 2,
        groupSize: 8,
        concurrency: 2,
        temperature: 1,
        protocol: 'markdown',
        minPairs: 10,
        limit: 5,
        rolloutLimit: 3,
        admission: 'none',
        forceNew: true,
      }),
    ).toEqual({
      live: true,
      tasks: 't.jsonl',
      n: 2,
      groupSize: 8,
      concurrency: 2,
      temperature: 1,
      protocol: 'markdown',
      minPairs: 10,
      maxTokens: LOCAL_MAX_TOKENS,
      rolloutLimit: 3,
      admission: 'none',
      forceNew: true,
    });
    expect(resolvePipelineOptions({ limit: 5, rolloutLimit: 9 }).rolloutLimit).toBe(5);
    expect(resolvePipelineOptions({ limit: 5 }).rolloutLimit).toBe(5);
    expect(resolvePipelineOptions({ baseURL: 'http://localhost:8000/v1' }).live).toBe(true);
  });
});
