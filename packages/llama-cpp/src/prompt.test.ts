import { UnsupportedFunctionalityError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { ChatTemplate, PLAIN_TRANSCRIPT_TEMPLATE } from './chat-template.js';
import { LlamaCppError } from './errors.js';
import { toChatPrompt } from './prompt.js';

// SmolLM2-135M-Instruct's template, as stored in its GGUF's tokenizer.chat_template.
const SMOLLM2_TEMPLATE =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

const user = (text: string) => ({
  role: 'user' as const,
  content: [{ type: 'text' as const, text }],
});
const assistant = (text: string) => ({
  role: 'assistant' as const,
  content: [{ type: 'text' as const, text }],
});

describe('toChatPrompt and ChatTemplate', () => {
  const template = new ChatTemplate({ source: SMOLLM2_TEMPLATE, origin: 'test' });

  it('renders the turns with the generation prompt', () => {
    const text = template.render(
      toChatPrompt([{ role: 'system', content: 'Be brief.' }, user('Hi')]),
    );
    expect(text).toBe(
      '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
    );
  });

  it('continues a trailing assistant message in place instead of closing it', () => {
    const text = template.render(toChatPrompt([user('Add 2 and 2.'), assistant('<code>\nprint(')]));
    expect(text.endsWith('<|im_start|>assistant\n<code>\nprint(')).toBe(true);
    expect(text.match(/<\|im_start\|>assistant/g)).toHaveLength(1);
  });

  it('keeps earlier assistant turns closed', () => {
    const text = template.render(toChatPrompt([user('a'), assistant('b'), user('c')]));
    expect(text).toContain('<|im_start|>assistant\nb<|im_end|>\n<|im_start|>user\nc<|im_end|>');
    expect(text.endsWith('<|im_start|>assistant\n')).toBe(true);
  });

  it('gives base models a plain transcript', () => {
    const plain = new ChatTemplate({ source: PLAIN_TRANSCRIPT_TEMPLATE, origin: 'plain' });
    expect(
      plain.render(
        toChatPrompt([
          { role: 'system', content: 'S' },
          user('Q'),
          assistant('A'),
          user('R'),
          assistant('x ='),
        ]),
      ),
    ).toBe('S\n\nUser: Q\nAssistant: A\nUser: R\nAssistant: x =');
  });

  it('refuses tool messages and file parts with the prompt position', () => {
    expect(() =>
      toChatPrompt([
        user('a'),
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: '1',
              toolName: 't',
              output: { type: 'text', value: 'v' },
            },
          ],
        },
      ]),
    ).toThrow(/tool messages \(at prompt\[1\] \(tool\)\)/);
    try {
      toChatPrompt([
        {
          role: 'user',
          content: [{ type: 'file', data: { type: 'data', data: 'AAAA' }, mediaType: 'image/png' }],
        },
      ]);
      expect.unreachable();
    } catch (error) {
      expect(UnsupportedFunctionalityError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('prompt[0] (user).content[0]');
    }
  });

  it('reports a template that does not parse as a typed error', () => {
    try {
      new ChatTemplate({
        source: '{% for x in %}',
        origin: 'model.gguf (tokenizer.chat_template)',
      });
      expect.unreachable();
    } catch (error) {
      expect(LlamaCppError.isInstance(error)).toBe(true);
      expect((error as LlamaCppError).code).toBe('chat_template_failed');
      expect((error as Error).message).toContain('model.gguf (tokenizer.chat_template)');
    }
  });
});
