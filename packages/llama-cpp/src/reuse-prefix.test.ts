import { generateText } from 'ai';
import { afterAll, describe, expect, it } from 'vitest';
import { createLlamaCppModel } from './language-model.js';
import { realModelPath } from './test-support/models.js';

const smollm2 = realModelPath('smollm2');
const SYSTEM = 'You are a careful problem solver. Reason step by step, then give the answer.';
const FIRST = 'A robe takes 2 bolts of blue fiber and half that much white fiber. How many bolts?';
const SECOND = 'What is the sum of the first ten positive integers?';

const ask = (model: ReturnType<typeof createLlamaCppModel>, prompt: string) =>
  generateText({ model, system: SYSTEM, prompt, temperature: 0, maxOutputTokens: 24 });

describe.skipIf(smollm2 === undefined)('reusePrefix (SmolLM2, real weights)', () => {
  const whole = createLlamaCppModel({ modelPath: smollm2 ?? '', reusePrefix: false });
  const reusing = createLlamaCppModel({ modelPath: smollm2 ?? '' });
  afterAll(() => Promise.all([whole.close(), reusing.close()]));

  it('false: every prompt is evaluated whole, so an answer does not depend on the call before', async () => {
    const fresh = await ask(whole, SECOND);
    await ask(whole, FIRST);
    // The worker last held FIRST's prompt, which shares the system prompt with SECOND's.
    const after = await ask(whole, SECOND);
    expect(after.text).toBe(fresh.text);
    expect(after.usage.inputTokenDetails.cacheReadTokens).toBe(0);
    expect(after.usage.inputTokenDetails.noCacheTokens).toBe(after.usage.inputTokens);
  });

  it('true (the default): the shared system prompt is read from the cache', async () => {
    await ask(reusing, FIRST);
    const after = await ask(reusing, SECOND);
    // At least the system turn's tokens (a dozen or more) came from the cache.
    expect(after.usage.inputTokenDetails.cacheReadTokens).toBeGreaterThan(10);
  });
});
