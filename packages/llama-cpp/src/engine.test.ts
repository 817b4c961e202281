import type { BatchItem, EvaluationPriority, Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, inSequenceOrder, StepGate } from './engine.js';
import type { GenerateResult } from './protocol.js';
import { realModelPath } from './test-support/models.js';

const smollm2 = realModelPath('smollm2');

describe('StepGate', () => {
  it('releases the members only when every one has arrived, all in the same turn', async () => {
    const gate = new StepGate();
    gate.join();
    gate.join();
    const released: string[] = [];
    const a = gate.arrive()?.then(() => released.push('a'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toEqual([]);
    const b = gate.arrive()?.then(() => released.push('b'));
    await Promise.all([a, b]);
    expect(released).toEqual(['a', 'b']);
  });

  it('lets a lone member through without waiting, and stops waiting for one that leaves', async () => {
    const gate = new StepGate();
    gate.join();
    expect(gate.arrive()).toBeUndefined();
    gate.join();
    const waiting = gate.arrive();
    expect(waiting).toBeInstanceOf(Promise);
    gate.leave();
    await waiting;
  });
});

describe('inSequenceOrder', () => {
  const item = (place: number, tokens: number): BatchItem => ({
    tokens: Array.from({ length: tokens }, () => 1 as Token),
    logits: [],
    evaluationPriority: place as EvaluationPriority,
  });

  it('puts the queued decodes in sequence order (llama.cpp makes one ubatch only of consecutive sequences)', () => {
    const items = [item(4, 1), item(2, 1), item(1, 64), item(3, 1)];
    const batch = inSequenceOrder({ items, size: 256 });
    expect(batch.map((b) => b.item.evaluationPriority)).toEqual([1, 2, 3, 4]);
    expect(batch.map((b) => b.processAmount)).toEqual([64, 1, 1, 1]);
  });

  it('takes no more tokens than the batch holds; the rest waits for the next decode', () => {
    const batch = inSequenceOrder({ items: [item(2, 64), item(1, 64)], size: 100 });
    expect(batch.map((b) => [b.item.evaluationPriority, b.processAmount])).toEqual([
      [1, 64],
      [2, 36],
    ]);
  });
});

describe.skipIf(smollm2 === undefined)('batched sequences decode together (real SmolLM2)', () => {
  let engine: Engine;
  beforeAll(async () => {
    ({ engine } = await Engine.load({
      modelPath: smollm2 ?? '',
      threads: 1,
      contextSize: 1024,
      sequences: 2,
      reusePrefix: true,
    }));
  });
  afterAll(() => engine?.dispose());

  const prompt = (question: string) =>
    `<|im_start|>user\n${question}<|im_end|>\n<|im_start|>assistant\n`;
  const generate = (question: string): Promise<GenerateResult> =>
    engine.generate({
      prompt: prompt(question),
      settings: { temperature: 0, maxTokens: 24 },
      stream: false,
    });

  it('puts both calls’ tokens into each decode while both generate', async () => {
    const [a, b] = await Promise.all([
      generate('Write a long story about a dragon.'),
      generate('Name the months of the year.'),
    ]);
    const both = Math.min(a.outputTokens, b.outputTokens);
    expect(both).toBeGreaterThanOrEqual(16);
    const stats = engine.batching;
    // Left to node-llama-cpp's timing the two calls took turns, one token per decode (measured:
    // 94 decodes for 96 tokens of two calls). Lined up, every token after each call's first,
    // while both generate, goes in a shared decode; the prompts take a decode or two.
    expect(stats?.sharedDecodes).toBeGreaterThanOrEqual(both - 1);
    expect(stats?.decodes).toBeLessThanOrEqual(Math.max(a.outputTokens, b.outputTokens) + 3);
    // Each call's last token is sampled, never decoded.
    expect(stats?.tokens).toBe(
      a.promptTokens + b.promptTokens + a.outputTokens + b.outputTokens - 2,
    );
  });
});
