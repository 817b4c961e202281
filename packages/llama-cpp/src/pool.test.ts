import { generateText, streamText } from 'ai';
import { afterAll, describe, expect, it } from 'vitest';
import { createLlamaCppModel } from './language-model.js';
import { realModelPath } from './test-support/models.js';

const smollm2 = realModelPath('smollm2');

describe.skipIf(smollm2 === undefined)('two worker processes (real SmolLM2)', () => {
  // Chunks of 8 tokens, so the re-use of these short prompts' cached chunks shows.
  const model = createLlamaCppModel({
    modelPath: smollm2 ?? '',
    workers: 2,
    contextSize: 1024,
    batchSize: 8,
  });
  afterAll(() => model.close());
  const ask = (prompt: string) =>
    generateText({ model, prompt, temperature: 0, maxOutputTokens: 16 });

  it('loads the model in each worker and answers concurrent calls like sequential ones', async () => {
    const info = await model.ready();
    expect(info.workers).toHaveLength(2);
    const prompts = ['Name a colour.', 'Name an animal.', 'Name a fruit.', 'Name a city.'];
    const concurrent = await Promise.all(prompts.map(ask));
    for (const [i, prompt] of prompts.entries())
      expect((await ask(prompt)).text).toBe(concurrent[i]?.text);
  });

  it('sends a growing transcript back to the worker that holds its prefix', async () => {
    const question = { role: 'user' as const, content: 'List three prime numbers.' };
    const first = await generateText({
      model,
      messages: [question, { role: 'assistant', content: 'Sure: 2,' }],
      temperature: 0,
      maxOutputTokens: 8,
    });
    // An unrelated call is queued first; the continuation still lands on its own worker.
    const [, next] = await Promise.all([
      ask('Say hello.'),
      generateText({
        model,
        messages: [question, { role: 'assistant', content: `Sure: 2,${first.text} and` }],
        temperature: 0,
        maxOutputTokens: 8,
      }),
    ]);
    // The first prompt's whole chunks (all but its last, partial one) came from the cache.
    expect(next.usage.inputTokenDetails.cacheReadTokens).toBeGreaterThan(
      (first.usage.inputTokens ?? 0) - 8 - 1,
    );
  });
});

describe.skipIf(smollm2 === undefined)('one worker with two sequences (real SmolLM2)', () => {
  const model = createLlamaCppModel({
    modelPath: smollm2 ?? '',
    workers: 1,
    sequences: 2,
    contextSize: 1024,
  });
  afterAll(() => model.close());

  it('runs two calls at once in one worker: each streams before the other ends', async () => {
    const events: string[] = [];
    const run = async (name: string, prompt: string) => {
      const result = streamText({ model, prompt, temperature: 0, maxOutputTokens: 24 });
      for await (const delta of result.textStream) if (delta !== '') events.push(`${name}:delta`);
      events.push(`${name}:end`);
      return result.text;
    };
    const [a, b] = await Promise.all([
      run('a', 'Count from one to twenty in words.'),
      run('b', 'Name the months of the year.'),
    ]);
    expect(a).not.toBe('');
    expect(b).not.toBe('');
    // One sequence would run them one after the other: every delta of one before the other's.
    const firstEnd = Math.min(events.indexOf('a:end'), events.indexOf('b:end'));
    const before = new Set(events.slice(0, firstEnd).map((e) => e.split(':')[0]));
    expect(before).toEqual(new Set(['a', 'b']));
  });

  it('keeps serving the other sequence when one call is aborted', async () => {
    const controller = new AbortController();
    const aborted = generateText({
      model,
      prompt: 'Write a long story about a dragon.',
      temperature: 0,
      maxOutputTokens: 200,
      abortSignal: controller.signal,
    });
    const other = generateText({
      model,
      prompt: 'Name a colour.',
      temperature: 0,
      maxOutputTokens: 8,
    });
    setTimeout(() => controller.abort(), 200);
    await expect(aborted).rejects.toThrow();
    expect((await other).text).not.toBe('');
  });
});
