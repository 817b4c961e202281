// The text-tag protocol's continuation against the real llama.cpp server: `compatible:` with
// `--continuation prefill` (chat; the server echoes the prefill, which we strip) and with
// `--continuation completions` (/v1/completions on SmolLM2's template rendered here).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { createTagCodec, type Trajectory } from '@autotraj/trajectory';
import { toolTagTable } from '@autotraj/trajectory/internal';
import { wrapLanguageModel } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTrajectory } from '../loop/generate-trajectory.js';
import {
  llamaServerPaths,
  type RunningLlamaServer,
  startLlamaServer,
} from '../test-support/llama-server.js';
import { arithmeticRuntime } from '../testing/arithmetic-runtime.js';
import { trailingAssistantText } from './continuation.js';
import { resolveModel } from './model-spec.js';

const paths = llamaServerPaths();

const codec = createTagCodec({ toolTags: toolTagTable() });
const task = {
  id: 'eggs',
  question: 'Tom has 3 boxes of 12 eggs and breaks 5. How many are left?',
};
// A trajectory resumed after its first tool result: every model call continues an assistant message.
const prefixText =
  '<think>3 boxes of 12 is 36, minus 5.</think>\n<calculator>3*12-5</calculator>\n<result>31</result>';
const prefix = codec.parse(prefixText).steps;

interface Call {
  /** The prompt as chat messages. */
  messages: Array<{ role: string; content: string }>;
  prefill: string;
  stop: string[];
  text: string;
  finish: string;
}

/** The model with every call's trailing assistant text, stop sequences and result recorded. */
function recorded(model: LanguageModelV4, calls: Call[]): LanguageModelV4 {
  return wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: 'v4',
      wrapGenerate: async ({ doGenerate, params }) => {
        const result = await doGenerate();
        calls.push({
          messages: params.prompt.map((message) => ({
            role: message.role,
            content:
              typeof message.content === 'string'
                ? message.content
                : message.content.map((part) => (part.type === 'text' ? part.text : '')).join(''),
          })),
          prefill: trailingAssistantText(params.prompt) ?? '',
          stop: params.stopSequences ?? [],
          text: result.content.map((part) => (part.type === 'text' ? part.text : '')).join(''),
          finish: result.finishReason.unified,
        });
        return result;
      },
    },
  });
}

describe.skipIf(paths === undefined)('text-tag continuation on the real llama-server', () => {
  let server: RunningLlamaServer;
  let dir: string;
  let templateFile: string;

  beforeAll(async () => {
    // Every request evaluated whole: a re-used cached prefix is read in other batches, whose
    // slightly different floats can change a greedy continuation, and this test compares
    // continuations of the same prompt across calls.
    server = await startLlamaServer({ ...paths!, contextSize: 2048, args: ['--no-cache-prompt'] });
    const props = (await (await fetch(`${server.origin}/props`)).json()) as {
      chat_template: string;
      eos_token: string;
    };
    dir = mkdtempSync(join(tmpdir(), 'autotraj-continuation-'));
    templateFile = join(dir, 'tokenizer_config.json');
    writeFileSync(
      templateFile,
      JSON.stringify({ chat_template: props.chat_template, eos_token: props.eos_token }),
    );
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const run = async (continuation: 'prefill' | 'completions') => {
    const resolved = resolveModel({
      model: 'compatible:smollm2',
      baseURL: server.baseURL,
      continuation,
      ...(continuation === 'completions' ? { chatTemplate: templateFile } : {}),
    });
    expect(resolved.continuation).toBe(continuation);
    const calls: Call[] = [];
    const trajectory: Trajectory = await generateTrajectory({
      model: recorded(resolved.model, calls),
      task,
      tools: [arithmeticRuntime()],
      prefix,
      sampling: { temperature: 0, maxOutputTokens: 24 },
      maxToolCalls: 2,
      retry: { retries: 0 },
    });
    return { trajectory, calls };
  };
  let prefillRun: ReturnType<typeof run> | undefined;
  const runPrefill = () => {
    prefillRun ??= run('prefill');
    return prefillRun;
  };

  /** What the server itself answers for one recorded call, on its chat endpoint. */
  const rawChat = async (call: Call) => {
    const response = await fetch(`${server.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'smollm2',
        messages: call.messages,
        stop: call.stop,
        max_tokens: 24,
        temperature: 0,
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      choices: Array<{ message: { content: string }; finish_reason: string }>;
    };
    return body.choices[0]!;
  };

  it('prefill: each call continues the assistant text in place; the echoed prefill is stripped once', async () => {
    const { trajectory, calls } = await runPrefill();
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      // Every call continued an assistant message (the resumed prefix guarantees one).
      expect(call.prefill.startsWith(prefixText)).toBe(true);
      // Stop sequences honoured: none is in the text; the finish reason says why it ended.
      for (const stop of call.stop) expect(call.text).not.toContain(stop);
      expect(['stop', 'length']).toContain(call.finish);
      // The server's own content is the prefill plus exactly what we returned.
      const raw = await rawChat(call);
      expect(raw.message.content).toBe(call.prefill + call.text);
    }
    // The trajectory holds the prefix once, then what the model wrote.
    const text = codec.render(trajectory.steps);
    expect(text.startsWith(prefixText)).toBe(true);
    expect(text.split('<think>3 boxes of 12 is 36').length - 1).toBe(1);
  }, 600_000);

  it('completions: /v1/completions on the client-rendered SmolLM2 template writes the same continuation', async () => {
    const prefill = await runPrefill();
    const completions = await run('completions');
    // Greedy decoding of the same rendered prompt: the two modes are one continuation.
    expect(completions.calls).toEqual(prefill.calls);
    expect(codec.render(completions.trajectory.steps)).toBe(codec.render(prefill.trajectory.steps));
  }, 600_000);
});
