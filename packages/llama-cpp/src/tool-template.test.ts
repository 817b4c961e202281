import { readFileSync } from 'node:fs';
import type { LanguageModelV4Prompt } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { ChatTemplate, PLAIN_TRANSCRIPT_TEMPLATE } from './chat-template.js';
import { readGgufSummary } from './gguf-info.js';
import { toChatPrompt } from './prompt.js';
import { realModelPath } from './test-support/models.js';
import { planTools } from './tool-plan.js';
import { detectToolCalling } from './tool-template.js';

// Qwen2.5-Coder-1.5B-Instruct's chat template, read from the GGUF's tokenizer.chat_template
// (checked against the real file below when it is present), so these tests run without it.
const QWEN_TEMPLATE = readFileSync(
  new URL('./test-support/qwen2.5-coder-chat-template.jinja', import.meta.url),
  'utf8',
);
// SmolLM2-135M-Instruct's template, as stored in its GGUF (also in prompt.test.ts).
const SMOLLM2_TEMPLATE =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

const qwenPath = realModelPath('qwen2.5-coder-1.5b');
const smollm2Path = realModelPath('smollm2');
const gemma3Path = realModelPath('gemma3');

describe('detectToolCalling', () => {
  it("finds the tool-call form in Qwen2.5's template", () => {
    expect(detectToolCalling(QWEN_TEMPLATE)).toEqual({ supported: true, format: 'hermes' });
  });

  it.skipIf(qwenPath === undefined)('reads that very template from the Qwen GGUF', async () => {
    const gguf = await readGgufSummary(qwenPath ?? '');
    expect(gguf.chatTemplate).toBe(QWEN_TEMPLATE);
  });

  it('finds none in SmolLM2-135M and in the plain transcript Gemma-3-270M gets', () => {
    const none = {
      supported: false,
      missing: [
        'it does not read the `tools` variable',
        'it does not render assistant `tool_calls`',
        'it does not render `tool` role messages',
        'it has no <tool_call>...</tool_call> call form',
      ],
    };
    expect(detectToolCalling(SMOLLM2_TEMPLATE)).toEqual(none);
    expect(detectToolCalling(PLAIN_TRANSCRIPT_TEMPLATE)).toEqual(none);
  });

  it.skipIf(smollm2Path === undefined || gemma3Path === undefined)(
    'finds none in the real SmolLM2 and Gemma-3 files',
    async () => {
      const smollm2 = await readGgufSummary(smollm2Path ?? '');
      expect(smollm2.chatTemplate).toBe(SMOLLM2_TEMPLATE);
      // Gemma-3-270M is the base model: no template at all, so the plain transcript.
      expect((await readGgufSummary(gemma3Path ?? '')).chatTemplate).toBeUndefined();
    },
  );

  it('needs every piece, not just a mention of tools', () => {
    // Mentions tools in text and has the tag, but never reads `tools` nor renders calls.
    const prose = `{{ 'You have no tools. Never write <tool_call></tool_call>.' }}${SMOLLM2_TEMPLATE}`;
    expect(detectToolCalling(prose).supported).toBe(false);
    // Qwen's template without its results branch would drop tool results from the prompt.
    const noResults = QWEN_TEMPLATE.replace('message.role == "tool"', 'message.role == "x"');
    expect(detectToolCalling(noResults)).toEqual({
      supported: false,
      missing: ['it does not render `tool` role messages'],
    });
  });
});

describe("rendering tools and tool turns with Qwen2.5's own template", () => {
  const template = new ChatTemplate({ source: QWEN_TEMPLATE, origin: 'qwen' });
  const python = {
    type: 'function' as const,
    name: 'python',
    description: 'Run Python code and return what it prints.',
    inputSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { code: { type: 'string' } },
      required: ['code'],
      additionalProperties: false,
    },
  };
  const render = (prompt: LanguageModelV4Prompt, tools = true) => {
    const plan = planTools({
      tools: tools ? [python] : undefined,
      toolChoice: undefined,
      support: template.toolCalling,
      origin: 'qwen',
      warnings: [],
    });
    return template.render(toChatPrompt(prompt, { toolMessages: true }), {
      tools: plan.templateTools,
    });
  };
  const question: LanguageModelV4Prompt[number] = {
    role: 'user',
    content: [{ type: 'text', text: 'What is 1234 * 5678?' }],
  };

  it('lists the tools in the system turn, in the shape Hugging Face templates read', () => {
    const text = render([{ role: 'system', content: 'Be exact.' }, question]);
    expect(text).toBe(
      '<|im_start|>system\nBe exact.\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n' +
        'You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n' +
        '{"type": "function", "function": {"name": "python", "description": "Run Python code and return what it prints.", ' +
        '"parameters": {"type": "object", "properties": {"code": {"type": "string"}}, "required": ["code"], "additionalProperties": false}}}\n' +
        '</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n' +
        '<tool_call>\n{{"name": <function-name>, "arguments": <args-json-object>}}\n</tool_call><|im_end|>\n' +
        '<|im_start|>user\nWhat is 1234 * 5678?<|im_end|>\n<|im_start|>assistant\n',
    );
  });

  it('renders no tools section when there are none', () => {
    expect(render([question], false)).toBe(
      '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n' +
        '<|im_start|>user\nWhat is 1234 * 5678?<|im_end|>\n<|im_start|>assistant\n',
    );
  });

  it('renders earlier calls as <tool_call> blocks and their results as <tool_response> in a user turn', () => {
    const text = render([
      question,
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'I will compute both.' },
          {
            type: 'tool-call',
            toolCallId: 'a',
            toolName: 'python',
            input: { code: 'print(1234 * 5678)' },
          },
          { type: 'tool-call', toolCallId: 'b', toolName: 'python', input: { code: 'print(2)' } },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'a',
            toolName: 'python',
            output: { type: 'text', value: '7006652\n' },
          },
          {
            type: 'tool-result',
            toolCallId: 'b',
            toolName: 'python',
            output: { type: 'json', value: { stdout: '2' } },
          },
        ],
      },
    ]);
    expect(text.slice(text.indexOf('<|im_start|>user'))).toBe(
      '<|im_start|>user\nWhat is 1234 * 5678?<|im_end|>\n' +
        '<|im_start|>assistant\nI will compute both.\n' +
        '<tool_call>\n{"name": "python", "arguments": {"code": "print(1234 * 5678)"}}\n</tool_call>\n' +
        '<tool_call>\n{"name": "python", "arguments": {"code": "print(2)"}}\n</tool_call><|im_end|>\n' +
        '<|im_start|>user\n<tool_response>\n7006652\n\n</tool_response>\n' +
        '<tool_response>\n{"stdout":"2"}\n</tool_response><|im_end|>\n' +
        '<|im_start|>assistant\n',
    );
  });

  it('renders an assistant call without text and results of every kind as text', () => {
    const text = render([
      question,
      {
        role: 'assistant',
        content: [{ type: 'tool-call', toolCallId: 'a', toolName: 'python', input: {} }],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'a',
            toolName: 'python',
            output: { type: 'error-text', value: 'NameError: x' },
          },
          {
            type: 'tool-result',
            toolCallId: 'a',
            toolName: 'python',
            output: { type: 'execution-denied', reason: 'not now' },
          },
          {
            type: 'tool-result',
            toolCallId: 'a',
            toolName: 'python',
            output: { type: 'content', value: [{ type: 'text', text: 'a' }] },
          },
        ],
      },
    ]);
    expect(text).toContain(
      '<|im_start|>assistant\n<tool_call>\n{"name": "python", "arguments": {}}\n</tool_call><|im_end|>\n',
    );
    expect(text).toContain(
      '<tool_response>\nNameError: x\n</tool_response>\n<tool_response>\nnot now\n</tool_response>\n<tool_response>\na\n</tool_response><|im_end|>',
    );
  });

  it('continues a trailing assistant text, but not a trailing call', () => {
    const partial = toChatPrompt(
      [question, { role: 'assistant', content: [{ type: 'text', text: 'Let me' }] }],
      { toolMessages: true },
    );
    expect(partial.continuation).toBe('Let me');
    const called = toChatPrompt(
      [
        question,
        {
          role: 'assistant',
          content: [{ type: 'tool-call', toolCallId: 'a', toolName: 'python', input: {} }],
        },
      ],
      { toolMessages: true },
    );
    expect(called.continuation).toBeUndefined();
    expect(called.messages.at(-1)).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'a' }] });
  });
});
