import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnsupportedFunctionalityError } from '@ai-sdk/provider';
import { generateText, jsonSchema, streamText, tool } from 'ai';
import { afterAll, describe, expect, it } from 'vitest';
import { GgufFileError } from './errors.js';
import { createLlamaCppModel } from './language-model.js';
import { realModelPath } from './test-support/models.js';

const smollm2 = realModelPath('smollm2');
const CAPITAL = 'What is the capital of France?';

describe('a model file that is not there or not a GGUF', () => {
  it('is a GgufFileError naming the file', async () => {
    const missing = createLlamaCppModel({ modelPath: '/nonexistent/model.gguf' });
    await expect(generateText({ model: missing, prompt: 'x', maxRetries: 0 })).rejects.toSatisfy(
      (e: unknown) =>
        GgufFileError.isInstance(e) &&
        e.code === 'model_file_missing' &&
        e.message === '/nonexistent/model.gguf: no such file',
    );
    const file = join(mkdtempSync(join(tmpdir(), 'autotraj-gguf-')), 'broken.gguf');
    writeFileSync(file, 'this is not a GGUF file, just some text long enough to read a header');
    const broken = createLlamaCppModel({ modelPath: file });
    await expect(broken.ready()).rejects.toSatisfy(
      (e: unknown) =>
        GgufFileError.isInstance(e) && e.code === 'model_file_invalid' && e.file === file,
    );
  });
});

describe.skipIf(smollm2 === undefined)('SmolLM2-135M-Instruct (real weights)', () => {
  // Chunks of 8 tokens, so the re-use of these short prompts' cached chunks shows.
  const CHUNK = 8;
  const model = createLlamaCppModel({
    modelPath: smollm2 ?? '',
    contextSize: 2048,
    batchSize: CHUNK,
  });
  afterAll(() => model.close());

  it('reads the file and uses its own chat template', async () => {
    const info = await model.ready();
    expect(info.templateSource).toBe('file');
    expect(info.gguf.architecture).toBe('llama');
    expect(info.gguf.name).toBe('Smollm2 135M 8k Lc100K Mix1 Ep2');
    expect(info.workers).toHaveLength(1);
    expect(info.workers[0]?.gpu).toBe(false);
    expect(info.workers[0]?.buildType).toBe('prebuilt');
  });

  it('decodes greedily and deterministically, without a hidden repeat penalty', async () => {
    const call = (providerOptions?: Record<string, Record<string, unknown>>) =>
      generateText({
        model,
        prompt: CAPITAL,
        temperature: 0,
        maxOutputTokens: 40,
        ...(providerOptions ? { providerOptions: providerOptions as never } : {}),
      });
    const a = await call();
    const b = await call();
    expect(a.text.length).toBeGreaterThan(20);
    expect(b.text).toBe(a.text);
    // Greedy SmolLM2 loops on this prompt; a repeat penalty, asked for, changes the text.
    const penalised = await call({ llamaCpp: { repeatPenalty: { penalty: 1.5 } } });
    expect(penalised.text).not.toBe(a.text);
  });

  it('counts usage: prompt tokens from the chat template, output tokens generated', async () => {
    const r = await generateText({ model, prompt: CAPITAL, temperature: 0, maxOutputTokens: 7 });
    // 37: the default system turn, the user turn and `<|im_start|>assistant\n`, tokenized with
    // the special tokens parsed (measured with node-llama-cpp's tokenizer directly); no BOS
    // added, as this file asks for none.
    expect(r.usage.inputTokens).toBe(37);
    expect(r.usage.outputTokens).toBe(7);
    expect(r.finishReason).toBe('length');
    expect(r.rawFinishReason).toBe('length');
  });

  it('stops at maxOutputTokens with finishReason length', async () => {
    const r = await generateText({ model, prompt: 'Tell me a long story.', maxOutputTokens: 12 });
    expect(r.usage.outputTokens).toBe(12);
    expect(r.finishReason).toBe('length');
  });

  it('stops at a stop sequence, which is not in the text', async () => {
    const prompt = 'Count from 1 to 10, one number per line.';
    const free = await generateText({ model, prompt, temperature: 0, maxOutputTokens: 60 });
    const at = free.text.indexOf('4');
    expect(at).toBeGreaterThan(0);
    const stopped = await generateText({
      model,
      prompt,
      temperature: 0,
      maxOutputTokens: 60,
      stopSequences: ['4'],
    });
    expect(stopped.text).toBe(free.text.slice(0, at));
    expect(stopped.finishReason).toBe('stop');
    expect(stopped.rawFinishReason).toBe('stop-sequence');
  });

  it('continues a trailing assistant message in place, re-using the cached whole chunks of the prompt', async () => {
    const question = {
      role: 'user' as const,
      content: 'Write Python code that prints the sum of 2 and 3, inside <code></code> tags.',
    };
    let prefix = 'Here is the code:\n<code>\nprint(';
    const rendered = await model.renderPrompt([
      { role: 'user', content: [{ type: 'text', text: question.content }] },
      { role: 'assistant', content: [{ type: 'text', text: prefix }] },
    ]);
    expect(rendered.endsWith(`<|im_start|>assistant\n${prefix}`)).toBe(true);

    const steps = [];
    for (let i = 0; i < 3; i++) {
      const r = await generateText({
        model,
        messages: [question, { role: 'assistant', content: prefix }],
        temperature: 0,
        maxOutputTokens: 16,
      });
      expect(r.text.length).toBeGreaterThan(0);
      // The continuation is new text, not the prefix again nor a new turn.
      expect(r.text.startsWith(prefix)).toBe(false);
      expect(r.text).not.toContain('<|im_start|>');
      steps.push(r.usage);
      prefix += `${r.text}\n# more\n`;
    }
    const [first, second, third] = steps as [
      (typeof steps)[0],
      (typeof steps)[0],
      (typeof steps)[0],
    ];
    // Each call's prompt grows by the previous output and a line. The previous prompt's whole
    // chunks come from the cache; its last partial chunk and what was generated are read again
    // (generated tokens were evaluated one at a time, so re-using them could change outputs).
    for (const [before, after] of [
      [first, second],
      [second, third],
    ] as const) {
      const grown = (after.inputTokens ?? 0) - (before.inputTokens ?? 0);
      expect(grown).toBeGreaterThan(0);
      expect(after.inputTokenDetails.cacheReadTokens! % CHUNK).toBe(0);
      expect(after.inputTokenDetails.cacheReadTokens).toBeGreaterThan(
        (before.inputTokens ?? 0) - CHUNK - 2,
      );
      expect(after.inputTokenDetails.noCacheTokens).toBeLessThan(grown + CHUNK + 2);
    }
  });

  it('streams deltas that add up to the generated text', async () => {
    const settings = {
      model,
      prompt: 'Count from 1 to 10, one number per line.',
      temperature: 0 as const,
      maxOutputTokens: 40,
      stopSequences: ['7\n'],
    };
    const whole = await generateText(settings);
    const s = streamText(settings);
    const deltas: string[] = [];
    for await (const d of s.textStream) deltas.push(d);
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toBe(whole.text);
    expect(await s.finishReason).toBe('stop');
    expect((await s.usage).outputTokens).toBe(whole.usage.outputTokens);
  });

  it('reproduces a sample with the same seed at temperature 1', async () => {
    const sample = (seed: number) =>
      generateText({
        model,
        prompt: 'Write a short poem.',
        temperature: 1,
        seed,
        maxOutputTokens: 24,
      });
    const a = await sample(42);
    const b = await sample(42);
    expect(b.text).toBe(a.text);
    const others = await Promise.all([sample(43), sample(44)]);
    expect(others.some((o) => o.text !== a.text)).toBe(true);
  });

  it('aborts a running generation and serves the next call', async () => {
    const controller = new AbortController();
    const s = streamText({
      model,
      prompt: 'Tell me a very long story.',
      maxOutputTokens: 1500,
      abortSignal: controller.signal,
    });
    let seen = 0;
    for await (const _ of s.textStream) {
      seen++;
      if (seen === 3) controller.abort();
    }
    expect(seen).toBeGreaterThanOrEqual(3);
    expect(seen).toBeLessThan(100);
    // Greedy SmolLM2 loops on CAPITAL without ever ending: only the abort stops this call.
    const running = new AbortController();
    setTimeout(() => running.abort(), 300);
    await expect(
      generateText({
        model,
        prompt: CAPITAL,
        temperature: 0,
        maxOutputTokens: 1800,
        abortSignal: running.signal,
        maxRetries: 0,
      }),
    ).rejects.toSatisfy((e: unknown) => (e as Error).name === 'AbortError');
    await expect(
      generateText({ model, prompt: 'x', abortSignal: AbortSignal.abort(), maxRetries: 0 }),
    ).rejects.toSatisfy((e: unknown) => (e as Error).name === 'AbortError');
    const after = await generateText({
      model,
      prompt: CAPITAL,
      temperature: 0,
      maxOutputTokens: 5,
    });
    expect(after.usage.outputTokens).toBe(5);
  });

  it('refuses tools with UnsupportedFunctionalityError: its template has no tool-call form', async () => {
    expect((await model.ready()).toolCalling.supported).toBe(false);
    await expect(
      generateText({
        model,
        prompt: 'What is 17 * 23?',
        maxRetries: 0,
        tools: {
          calculator: tool({
            description: 'evaluate arithmetic',
            inputSchema: jsonSchema<{ expression: string }>({
              type: 'object',
              properties: { expression: { type: 'string' } },
              required: ['expression'],
            }),
          }),
        },
      }),
    ).rejects.toSatisfy(
      (e: unknown) =>
        UnsupportedFunctionalityError.isInstance(e) &&
        e.functionality === 'tools' &&
        e.message.includes('it does not read the `tools` variable'),
    );
  });
});
