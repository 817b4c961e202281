import { generateText } from 'ai';
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
