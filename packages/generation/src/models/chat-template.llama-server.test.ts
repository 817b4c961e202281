// Our client-side rendering of a chat template (what `--continuation completions` sends to
// /v1/completions) against what the real llama.cpp server renders for the same conversation
// (/apply-template), with SmolLM2's own template as the GGUF stores it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelMessage } from 'ai';
import { generateText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  llamaServerPaths,
  type RunningLlamaServer,
  startLlamaServer,
} from '../test-support/llama-server.js';
import { type ChatTemplate, chatmlTemplate, loadChatTemplate } from './chat-template.js';
import { createCompletionsModel } from './completions-model.js';

const paths = llamaServerPaths();

const system = {
  role: 'system',
  content: 'Solve the problem. Use <calculator></calculator>.',
} as const;
const question = {
  role: 'user',
  content: 'Tom has 3 boxes of 12 eggs and breaks 5. How many are left?',
} as const;
const conversations: Record<string, ModelMessage[]> = {
  'system and user': [system, question],
  'user only': [question],
  'trailing assistant (a text-tag continuation)': [
    system,
    question,
    {
      role: 'assistant',
      content:
        '<think>3 boxes of 12 is 36, minus 5.</think>\n<calculator>3*12-5</calculator>\n<result>31</result>\n',
    },
  ],
  'trailing assistant without a system message': [
    question,
    { role: 'assistant', content: '<think>' },
  ],
  'multi-turn': [
    system,
    { role: 'user', content: 'What is 2+2?' },
    { role: 'assistant', content: '<answer>\\boxed{4}</answer>' },
    { role: 'user', content: 'And 3+3? Ünïcödé, "quotes", {braces} and\nnew lines.' },
  ],
  'multi-turn ending in a partial assistant message': [
    system,
    { role: 'user', content: 'What is 2+2?' },
    { role: 'assistant', content: '<answer>\\boxed{4}</answer>' },
    { role: 'user', content: 'And 3+3?' },
    { role: 'assistant', content: 'Six, since ' },
  ],
};

/** The system block SmolLM2's template inserts when a conversation has none. */
const SMOLLM2_DEFAULT_SYSTEM =
  '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n';

describe.skipIf(paths === undefined)('chat template fidelity against the real llama-server', () => {
  let server: RunningLlamaServer;
  let dir: string;
  let smollm2: ChatTemplate;

  beforeAll(async () => {
    server = await startLlamaServer({ ...paths!, contextSize: 1024 });
    // The template as the server read it from the GGUF, written as a tokenizer_config.json
    // (what `--chat-template <file>` takes), so the file-loading path is the one under test.
    const props = (await (await fetch(`${server.origin}/props`)).json()) as {
      chat_template: string;
      eos_token: string;
    };
    dir = mkdtempSync(join(tmpdir(), 'autotraj-template-'));
    const file = join(dir, 'tokenizer_config.json');
    writeFileSync(
      file,
      JSON.stringify({ chat_template: props.chat_template, eos_token: props.eos_token }),
    );
    smollm2 = loadChatTemplate(file);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  /** The prompt our completions model sends for `messages` (captured, never sent). */
  const clientPrompt = async (template: ChatTemplate, messages: ModelMessage[]) => {
    let prompt = '';
    const model = createCompletionsModel({
      baseURL: 'http://127.0.0.1:9/v1',
      modelId: 'smollm2',
      template,
      fetch: async (_url, init) => {
        prompt = (JSON.parse(String(init?.body)) as { prompt: string }).prompt;
        return new Response(JSON.stringify({ choices: [{ text: '', finish_reason: 'stop' }] }), {
          headers: { 'content-type': 'application/json' },
        });
      },
    });
    // ai 7 takes a system message as `instructions`, never inside `messages`.
    const [first, ...rest] = messages;
    await (first?.role === 'system'
      ? generateText({ model, instructions: first.content, messages: rest, maxRetries: 0 })
      : generateText({ model, messages, maxRetries: 0 }));
    return prompt;
  };
  const serverPrompt = async (messages: ModelMessage[]) => {
    const response = await fetch(`${server.origin}/apply-template`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { prompt: string }).prompt;
  };

  it.each(Object.keys(conversations))(
    'the GGUF template renders %s byte for byte as the server does',
    async (name) => {
      const messages = conversations[name]!;
      expect(await clientPrompt(smollm2, messages)).toBe(await serverPrompt(messages));
    },
  );

  it('the built-in ChatML matches too, except for the default system block SmolLM2 adds', async () => {
    // Pinned difference: SmolLM2's template inserts its own system message when there is none;
    // the generic ChatML template (Qwen2.5's format without Qwen's default) does not.
    for (const [name, messages] of Object.entries(conversations)) {
      const ours = await clientPrompt(chatmlTemplate, messages);
      const theirs = await serverPrompt(messages);
      const expected =
        messages[0]!.role === 'system' ? theirs : theirs.replace(SMOLLM2_DEFAULT_SYSTEM, '');
      if (messages[0]!.role !== 'system')
        expect(theirs.startsWith(SMOLLM2_DEFAULT_SYSTEM), name).toBe(true);
      expect(ours, name).toBe(expected);
    }
  });
});
