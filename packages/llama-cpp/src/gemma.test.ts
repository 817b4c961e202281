import { UnsupportedFunctionalityError } from '@ai-sdk/provider';
import { generateText, jsonSchema, tool } from 'ai';
import { afterAll, describe, expect, it } from 'vitest';
import { createLlamaCppModel } from './language-model.js';
import { realModelPath } from './test-support/models.js';

const gemma3 = realModelPath('gemma3');

describe.skipIf(gemma3 === undefined)('Gemma-3-270M (real weights, a base model)', () => {
  const model = createLlamaCppModel({ modelPath: gemma3 ?? '', contextSize: 1024 });
  afterAll(() => model.close());

  it('is the base model: no chat template, so the prompt is a plain transcript', async () => {
    const info = await model.ready();
    expect(info.gguf).toMatchObject({
      name: 'Gemma 3 270m',
      architecture: 'gemma3',
      sizeLabel: '270M',
      chatTemplate: undefined,
      bosToken: '<bos>',
      addBosToken: true,
    });
    expect(info.templateSource).toBe('plain-transcript');
    expect(
      await model.renderPrompt([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]),
    ).toBe('User: Hi\nAssistant: ');
  });

  it('adds BOS once, warns about the missing template and continues the assistant text', async () => {
    const r = await generateText({
      model,
      messages: [
        { role: 'user', content: 'What is 2 + 3?' },
        { role: 'assistant', content: 'The answer is' },
      ],
      temperature: 0,
      maxOutputTokens: 6,
    });
    // "User: What is 2 + 3?\nAssistant: The answer is" is 16 tokens (node-llama-cpp's tokenizer
    // on this file, digits split); with the one BOS the file asks for, 17.
    expect(r.usage.inputTokens).toBe(17);
    expect(r.usage.outputTokens).toBe(6);
    expect(r.text.startsWith('The answer is')).toBe(false);
    expect(r.warnings?.map((w) => w.type)).toEqual(['other']);
  });

  it('ends the assistant turn at the next "User:" line instead of writing the user\'s turns', async () => {
    // Greedy, this base model answers and then writes "User: ..." lines of its own (seen in the
    // GSM8K measurement: every call ran to the token limit before the turn end was a stop).
    const r = await generateText({
      model,
      prompt: 'What is 12 + 12?',
      temperature: 0,
      maxOutputTokens: 200,
      stopSequences: ['</answer>'],
    });
    expect(r.finishReason).toBe('stop');
    expect(r.text).not.toContain('User:');
    expect(r.providerMetadata?.llamaCpp?.stopSequence).toBe('\nUser:');
  });

  it('refuses tools: the plain transcript has no tool-call form', async () => {
    expect((await model.ready()).toolCalling.supported).toBe(false);
    await expect(
      generateText({
        model,
        prompt: 'What is 17 * 23?',
        maxRetries: 0,
        tools: {
          calculator: tool({
            inputSchema: jsonSchema<{ expression: string }>({
              type: 'object',
              properties: { expression: { type: 'string' } },
            }),
          }),
        },
      }),
    ).rejects.toSatisfy(
      (e: unknown) => UnsupportedFunctionalityError.isInstance(e) && e.functionality === 'tools',
    );
  });
});
