import { generateText } from 'ai';
import { afterAll, describe, expect, it } from 'vitest';
import { createLlamaCppModel } from './language-model.js';
import { realModelPath } from './test-support/models.js';

const smollm2 = realModelPath('smollm2');

// A shared worked example longer than a chunk, then the question: the shape of the default
// prompts, whose example is what re-use saves.
const EXAMPLE = `Solve the problem. Think inside <think></think>, compute in <code></code>, answer in \\boxed{}.
Example. Problem: A shop sells notebooks for $4 each. It sold 30 on Monday, 40% more on Tuesday and
half of Tuesday's on Wednesday. How much money did it make?
<think>Monday 30, Tuesday 42, Wednesday 21: 93 notebooks at $4.</think>
<code>print((30 + 42 + 21) * 4)</code>
<result>372</result>
<answer>\\boxed{372}</answer>
Problem: `;
const QUESTIONS = [
  'Natalia sold 48 clips in April and half as many in May. How many clips did she sell?',
  'Weng earns $12 an hour for babysitting. Yesterday she did 50 minutes. How much did she earn?',
  'Betty needs $100 for a wallet. She has half of it. How much more does she need?',
];

/** A question, then a continuation of its own answer (as after a tool result). */
async function trajectory(model: ReturnType<typeof createLlamaCppModel>, question: string) {
  const prompt = EXAMPLE + question;
  const first = await generateText({ model, prompt, temperature: 0, maxOutputTokens: 24 });
  const next = await generateText({
    model,
    messages: [
      { role: 'user', content: prompt },
      { role: 'assistant', content: `${first.text}\n<result>42</result>\n` },
    ],
    temperature: 0,
    maxOutputTokens: 16,
  });
  return {
    texts: [first.text, next.text],
    cacheRead: first.usage.inputTokenDetails.cacheReadTokens,
  };
}

describe.skipIf(smollm2 === undefined)('reusePrefix (SmolLM2, real weights)', () => {
  const whole = createLlamaCppModel({ modelPath: smollm2 ?? '', reusePrefix: false });
  const reusing = createLlamaCppModel({ modelPath: smollm2 ?? '' });
  afterAll(() => Promise.all([whole.close(), reusing.close()]));

  it('re-uses the cached chunks of a shared prompt and gives exactly the outputs of evaluating it whole, in any order', async () => {
    const expected = [];
    for (const question of QUESTIONS) {
      const t = await trajectory(whole, question);
      expect(t.cacheRead).toBe(0);
      expected.push(t.texts);
    }
    // Forward, then reversed: each question after others that left the example in the cache.
    for (const order of [
      [0, 1, 2],
      [2, 1, 0],
    ]) {
      for (const i of order) {
        const t = await trajectory(reusing, QUESTIONS[i]!);
        expect(t.texts).toEqual(expected[i]);
      }
    }
    // The example (over 64 tokens) was read from the cache on the later calls.
    const again = await trajectory(reusing, QUESTIONS[1]!);
    expect(again.cacheRead).toBeGreaterThanOrEqual(64);
    expect(again.texts).toEqual(expected[1]);
  });
});
