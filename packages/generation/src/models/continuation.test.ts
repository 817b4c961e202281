import { createOpenAI } from '@ai-sdk/openai';
import { streamText } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { GenerationConfigError } from '../errors.js';
import { generateTrajectory } from '../loop/generate-trajectory.js';
import { arithmeticRuntime } from '../testing/arithmetic-runtime.js';
import {
  type LoopbackBackend,
  type LoopbackServer,
  startLoopbackServer,
  tagScriptReply,
} from '../testing/index.js';
import { resolveModel } from './model-spec.js';
import { createCompatibleProvider, createVllmProvider } from './providers.js';

const task = {
  id: 'eggs',
  question: 'Tom has 3 boxes of 12 eggs and breaks 5. How many are left?',
};
const script =
  '<think>3 boxes of 12 is 36, minus 5.</think>\n<calculator>3*12-5</calculator>\n<think>So 31.</think>\n<answer>\\boxed{31}</answer>';
const wellFormed = ['think', 'tool-call', 'tool-result', 'think', 'answer'];

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const serve = async (backend: LoopbackBackend) => {
  server = await startLoopbackServer({ backend, reply: tagScriptReply(() => script) });
  return server;
};

const run = (model: Parameters<typeof generateTrajectory>[0]['model']) =>
  generateTrajectory({ model, task, tools: [arithmeticRuntime()], salt: 0 });

describe('continuation on a vLLM-like server (strict: a trailing assistant message starts a new turn)', () => {
  it('breaks a client that sends the prefill without the flags (what real vLLM does)', async () => {
    const s = await serve('vllm');
    const trajectory = await run(createOpenAI({ baseURL: s.baseURL, apiKey: 'x' }).chat('qwen'));
    // After the tool result the server began a fresh turn: the model started over.
    expect(trajectory.steps.map((step) => step.type)).not.toEqual(wellFormed);
    expect(s.requests[1]!.continueFinal).toBe(false);
    expect(s.requests[1]!.body.continue_final_message).toBeUndefined();
  });

  it('continues in place with continue_final_message / add_generation_prompt (vllm: provider)', async () => {
    const s = await serve('vllm');
    const trajectory = await run(createVllmProvider({ baseURL: s.baseURL }).languageModel('qwen'));
    expect(trajectory.steps.map((step) => step.type)).toEqual(wellFormed);
    expect(trajectory.finalAnswer).toBe('31');
    // The first call has nothing to continue: no flags; the second carries both.
    expect(s.requests[0]!.body.continue_final_message).toBeUndefined();
    expect(s.requests[1]!.body).toMatchObject({
      continue_final_message: true,
      add_generation_prompt: false,
    });
    expect(s.requests[1]!.continueFinal).toBe(true);
  });

  it('answers 400 when both flags are true, as vLLM does', async () => {
    const s = await serve('vllm');
    const response = await fetch(`${s.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'qwen',
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: '<think>' },
        ],
        continue_final_message: true,
        add_generation_prompt: true,
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('continue_final_message');
  });
});

describe('continuation on a llama.cpp-like server (continues, echoes the prefill)', () => {
  it('doubles the prefix for a client that appends the response as it is', async () => {
    const s = await serve('llama.cpp');
    const trajectory = await run(createOpenAI({ baseURL: s.baseURL, apiKey: 'x' }).chat('smol'));
    expect(trajectory.steps.map((step) => step.type)).not.toEqual(wellFormed);
  });

  it('strips the echoed prefill (compatible: with --continuation prefill), in generate and stream', async () => {
    const s = await serve('llama.cpp');
    const provider = createCompatibleProvider({ baseURL: s.baseURL, continuation: 'prefill' });
    const trajectory = await run(provider.languageModel('smol'));
    expect(trajectory.steps.map((step) => step.type)).toEqual(wellFormed);
    const streamed = streamText({
      model: provider.languageModel('smol'),
      messages: [
        { role: 'user', content: task.question },
        {
          role: 'assistant',
          content:
            '<think>3 boxes of 12 is 36, minus 5.</think>\n<calculator>3*12-5</calculator>\n<result>31</result>\n',
        },
      ],
    });
    expect(await streamed.text).toBe('<think>So 31.</think>\n<answer>\\boxed{31}</answer>');
  });
});

describe('continuation over /v1/completions (a client-rendered template)', () => {
  it('continues by construction; the prompt is ChatML ending in the partial assistant text', async () => {
    const s = await serve('vllm');
    const provider = createCompatibleProvider({ baseURL: s.baseURL, continuation: 'completions' });
    const trajectory = await run(provider.languageModel('qwen'));
    expect(trajectory.steps.map((step) => step.type)).toEqual(wellFormed);
    expect(s.requests.every((r) => r.endpoint === 'completions')).toBe(true);
    const prompt = String(s.requests[1]!.body.prompt);
    // The default prompt is a user-turn template: no system turn, the question last in it.
    expect(prompt.startsWith('<|im_start|>user\n')).toBe(true);
    expect(prompt).toContain(`Problem: ${task.question}<|im_end|>\n<|im_start|>assistant\n`);
    expect(prompt.endsWith('<calculator>3*12-5</calculator>\n<result>31</result>\n')).toBe(true);
    expect(s.requests[1]!.body.stop).toEqual(['</calculator>', '</answer>']);
  });
});

describe('the OpenAI API (no prefill)', () => {
  it('refuses the text-tag protocol up front, naming the native protocol; native works', async () => {
    const s = await serve('openai');
    const resolved = resolveModel(
      { model: 'openai:gpt-4o-mini', baseURL: s.baseURL },
      { env: { OPENAI_API_KEY: 'sk-test' } },
    );
    expect(resolved.continuation).toBe('none');
    const failure = await run(resolved.model).catch((error: unknown) => error);
    expect(GenerationConfigError.isInstance(failure)).toBe(true);
    // The option by its library name; the CLI prints it as its flag (--protocol native).
    expect((failure as Error).message).toContain('`protocol` native');
    expect(s.requests).toHaveLength(0);
    const native = await generateTrajectory({
      model: resolved.model,
      task,
      tools: [arithmeticRuntime()],
      protocol: 'native',
    });
    expect(native.provenance.model).toBe('openai:gpt-4o-mini');
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]!.tools.map((t) => t.name)).toEqual(['calculator']);
  });
});

describe('resolveModel: one vocabulary', () => {
  it('builds each provider with its continuation, and names it in provenance', () => {
    const env = {};
    const base = 'http://127.0.0.1:9/v1';
    const vllm = resolveModel({ model: 'vllm:Qwen2.5-7B-Instruct', baseURL: base }, { env });
    expect([vllm.modelName, vllm.continuation, vllm.mode]).toEqual([
      'vllm:Qwen2.5-7B-Instruct',
      'vllm',
      'live',
    ]);
    expect(resolveModel({ model: 'compatible:m', baseURL: base }, { env }).continuation).toBe(
      'completions',
    );
    expect(
      resolveModel({ model: 'compatible:m', baseURL: base, continuation: 'prefill' }, { env })
        .continuation,
    ).toBe('prefill');
    expect(
      resolveModel({ model: 'vllm:m' }, { env: { AUTOTRAJ_BASE_URL: base } }).continuation,
    ).toBe('vllm');
  });

  it('rejects what it cannot honour with a typed error that says what to pass', () => {
    const env = {};
    const cases: Array<[Parameters<typeof resolveModel>[0], RegExp]> = [
      [
        { model: 'Qwen2.5-7B-Instruct', baseURL: 'http://x/v1' },
        /`model` must be one of openai:<id>/,
      ],
      [{ model: 'vllm:Qwen' }, /needs `baseURL`/],
      [{ model: 'openai:gpt-4o' }, /OPENAI_API_KEY/],
      [
        { model: 'vllm:Qwen', baseURL: 'http://x/v1', continuation: 'prefill' },
        /compatible:<id> models only/,
      ],
      [
        { model: 'compatible:m', baseURL: 'http://x/v1', continuation: 'sideways' },
        /`continuation` must be/,
      ],
      [{ model: 'local:smollm2' }, /@autotraj\/llama-cpp/],
      [{ model: 'vllm:m', baseURL: 'http://x/v1', replay: 'c.jsonl' }, /cannot be combined/],
      [{}, /no model given/],
    ];
    for (const [spec, message] of cases) {
      let error: unknown;
      try {
        resolveModel(spec, { env });
      } catch (caught) {
        error = caught;
      }
      expect(GenerationConfigError.isInstance(error), JSON.stringify(spec)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });
});
