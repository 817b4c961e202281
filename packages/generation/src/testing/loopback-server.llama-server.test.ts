// Fixture fidelity: the same requests sent to the loopback server in `backend: 'llama.cpp'`
// mode and to the real llama.cpp server (SmolLM2), compared by the *shape* of the answers:
// status, JSON key paths, finish reasons, whether the content echoes the prefill, whether a
// stop sequence is in the text, usage, error bodies, streamed chunk kinds. The model's words
// do not matter; the protocol does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  llamaServerPaths,
  type RunningLlamaServer,
  startLlamaServer,
} from '../test-support/llama-server.js';
import { type LoopbackServer, startLoopbackServer } from './loopback-server.js';

const paths = llamaServerPaths();

const conversation = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'What is 2+2? Count slowly.' },
];
const prefill = 'Let me think. <calculator>2+';
const withPrefill = [...conversation, { role: 'assistant', content: prefill }];
// Stop strings SmolLM2 cannot avoid for long (any word break); the scripted reply has them too.
const commonStops = [' ', '\n', '.', ','];
const chatml = '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello';

interface Case {
  path: string;
  body: unknown;
}
const chat = (body: Record<string, unknown>): Case => ({
  path: '/v1/chat/completions',
  body: { model: 'smollm2', temperature: 0, ...body },
});
const completion = (body: Record<string, unknown>): Case => ({
  path: '/v1/completions',
  body: { model: 'smollm2', temperature: 0, ...body },
});

const cases: Record<string, Case> = {
  'chat, cut at max_tokens': chat({ messages: conversation, max_tokens: 3 }),
  'chat, stop sequence': chat({ messages: conversation, max_tokens: 24, stop: commonStops }),
  'chat, prefill continued, cut at max_tokens': chat({ messages: withPrefill, max_tokens: 3 }),
  'chat, prefill continued, stop sequence': chat({
    messages: withPrefill,
    max_tokens: 24,
    stop: commonStops,
  }),
  'chat, vLLM-style flags': chat({
    messages: withPrefill,
    max_tokens: 3,
    continue_final_message: true,
    add_generation_prompt: false,
  }),
  'chat, streamed with usage': chat({
    messages: conversation,
    max_tokens: 3,
    stream: true,
    stream_options: { include_usage: true },
  }),
  'chat, prefill streamed': chat({
    messages: withPrefill,
    max_tokens: 3,
    stream: true,
    stream_options: { include_usage: true },
  }),
  'chat, error: no messages': chat({ max_tokens: 3 }),
  'chat, error: messages not an array': chat({ messages: 'hi', max_tokens: 3 }),
  'chat, error: a user message without content': chat({ messages: [{ role: 'user' }] }),
  'chat, error: both continuation flags': chat({
    messages: withPrefill,
    max_tokens: 3,
    continue_final_message: true,
    add_generation_prompt: true,
  }),
  'chat, error: two trailing assistant messages': chat({
    messages: [...withPrefill, { role: 'assistant', content: 'x' }],
    max_tokens: 3,
  }),
  'completions, cut at max_tokens': completion({ prompt: chatml, max_tokens: 3 }),
  'completions, stop sequence': completion({ prompt: chatml, max_tokens: 24, stop: commonStops }),
  'completions, streamed': completion({ prompt: chatml, max_tokens: 3, stream: true }),
  'completions, error: no prompt': completion({ max_tokens: 3 }),
  'completions, error: echo': completion({ prompt: chatml, max_tokens: 3, echo: true }),
};

/** Key paths with JSON types, arrays as `[]`: `choices[].message.content:string`. */
function keyPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => keyPaths(v, `${path}[]`)))];
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, v]) =>
      keyPaths(v, path === '' ? key : `${path}.${key}`),
    );
  return [`${path}:${value === null ? 'null' : typeof value}`];
}

// biome-ignore lint/suspicious/noExplicitAny: two servers' JSON, read loosely field by field
type Json = Record<string, any>;

interface Shape {
  status: number;
  contentType: string;
  facts: Record<string, unknown>;
  keys: string[];
}

/** The protocol facts of one answer (the same for any model's words). */
function facts(status: number, body: Json, request: Json): Record<string, unknown> {
  if (status !== 200)
    return {
      errorCode: body.error?.code,
      errorType: body.error?.type,
      hasMessage: typeof body.error?.message === 'string',
    };
  const choice = body.choices?.[0] ?? {};
  const text: string = choice.message?.content ?? choice.text ?? '';
  const last = request.messages?.[request.messages.length - 1];
  const prefix = last?.role === 'assistant' ? String(last.content) : '';
  const stops: string[] = request.stop ?? [];
  const generated = prefix !== '' && text.startsWith(prefix) ? text.slice(prefix.length) : text;
  return {
    object: body.object,
    choices: body.choices?.length,
    role: choice.message?.role,
    finishReason: choice.finish_reason,
    echoesPrefill: prefix === '' ? undefined : text.startsWith(prefix),
    stopInText: stops.length === 0 ? undefined : stops.some((s) => generated.includes(s)),
    usage: Object.keys(body.usage ?? {}).sort(),
    completionTokensWithinMax:
      body.usage === undefined
        ? undefined
        : body.usage.completion_tokens <= (request.max_tokens ?? Infinity),
  };
}

/** Streamed chunks reduced to their kinds, consecutive repeats collapsed. */
function chunkKinds(chunks: Json[]): string[] {
  const kinds = chunks.map((chunk) => {
    const choice = chunk.choices?.[0];
    if (choice === undefined) return chunk.usage === undefined ? 'other' : 'usage-only';
    const delta =
      choice.delta === undefined ? 'text' : `delta{${Object.keys(choice.delta).sort().join(',')}}`;
    return `${delta}${choice.finish_reason == null ? '' : `+finish:${choice.finish_reason}`}${chunk.usage ? '+usage' : ''}`;
  });
  return kinds.filter((kind, i) => kind !== kinds[i - 1]);
}

async function shapeOf(
  origin: string,
  test: Case,
): Promise<Shape & { chunks?: string[]; streamedText?: string }> {
  let response: Response;
  const send = () =>
    fetch(`${origin}${test.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(test.body),
    });
  try {
    // llama-server closes a kept-alive socket after a stream; a request that finds it closed
    // is sent again once, on a new connection (that is the client's business, not a shape).
    response = await send().catch((error: { cause?: { code?: string } }) => {
      if (error.cause?.code === 'UND_ERR_SOCKET') return send();
      throw error;
    });
  } catch (error) {
    // A server that drops the connection is a shape too (and one the other may not share).
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
    return { status: 0, contentType: '', facts: { connection: cause }, keys: [] };
  }
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const raw = await response.text();
  const request = test.body as Json;
  if (contentType !== 'text/event-stream') {
    const body = JSON.parse(raw) as Json;
    return {
      status: response.status,
      contentType,
      facts: facts(response.status, body, request),
      keys: keyPaths(body).sort(),
    };
  }
  const events = raw
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice(6));
  const done = events[events.length - 1] === '[DONE]';
  const chunks = events.filter((e) => e !== '[DONE]').map((e) => JSON.parse(e) as Json);
  const text = chunks
    .map((c) => c.choices?.[0]?.delta?.content ?? c.choices?.[0]?.text ?? '')
    .join('');
  const final = [...chunks].reverse().find((c) => c.choices?.[0]?.finish_reason != null) ?? {};
  const usage = chunks.find((c) => c.usage !== undefined)?.usage;
  const merged: Json = {
    object: chunks[0]?.object,
    choices: [
      {
        ...final.choices?.[0],
        message: request.messages === undefined ? undefined : { content: text },
        text,
      },
    ],
    ...(usage === undefined ? {} : { usage }),
  };
  const f = facts(response.status, merged, request);
  delete f.role;
  return {
    status: response.status,
    contentType,
    facts: { ...f, endsWithDone: done },
    keys: [...new Set(chunks.flatMap((c) => keyPaths(c)))].sort(),
    chunks: chunkKinds(chunks),
  };
}

/**
 * Key paths only the real server sends, pinned with the reason the loopback leaves them out.
 * Nothing in our clients reads them.
 */
const TIMINGS = "llama.cpp's own speed report; no client of ours reads it";
const REAL_ONLY_KEYS: Record<string, string> = {
  'system_fingerprint:string': 'the build id; OpenAI-style, unused by our clients',
  'timings.cache_n:number': TIMINGS,
  'timings.predicted_ms:number': TIMINGS,
  'timings.predicted_n:number': TIMINGS,
  'timings.predicted_per_second:number': TIMINGS,
  'timings.predicted_per_token_ms:number': TIMINGS,
  'timings.prompt_ms:number': TIMINGS,
  'timings.prompt_n:number': TIMINGS,
  'timings.prompt_per_second:number': TIMINGS,
  'timings.prompt_per_token_ms:number': TIMINGS,
};

describe.skipIf(paths === undefined)(
  'the loopback llama.cpp backend against the real llama-server',
  () => {
    let real: RunningLlamaServer;
    let loopback: LoopbackServer;
    const shapes = new Map<
      string,
      { real: Awaited<ReturnType<typeof shapeOf>>; loopback: Awaited<ReturnType<typeof shapeOf>> }
    >();

    beforeAll(async () => {
      real = await startLlamaServer({ ...paths!, contextSize: 1024 });
      // A scripted model that always has more to say, with word breaks (so stops and max_tokens bite).
      loopback = await startLoopbackServer({
        backend: 'llama.cpp',
        reply: () => ({ text: '3, then 4. The answer is four, counted slowly and carefully.' }),
      });
      for (const [name, test] of Object.entries(cases))
        shapes.set(name, {
          real: await shapeOf(real.origin, test),
          loopback: await shapeOf(`http://127.0.0.1:${loopback.port}`, test),
        });
    }, 300_000);
    afterAll(async () => {
      await real?.close();
      await loopback?.close();
    });

    it.each(Object.keys(cases))('%s: same status, content type, facts and stream shape', (name) => {
      const { real: theirs, loopback: ours } = shapes.get(name)!;
      expect({
        status: ours.status,
        contentType: ours.contentType,
        facts: ours.facts,
        chunks: ours.chunks,
      }).toEqual({
        status: theirs.status,
        contentType: theirs.contentType,
        facts: theirs.facts,
        chunks: theirs.chunks,
      });
    });

    it.each(Object.keys(cases))(
      '%s: the loopback sends no key the real server does not; the real one only pinned extras',
      (name) => {
        const { real: theirs, loopback: ours } = shapes.get(name)!;
        expect(ours.keys.filter((key) => !theirs.keys.includes(key))).toEqual([]);
        const extras = theirs.keys.filter((key) => !ours.keys.includes(key));
        expect(extras.filter((key) => !(key in REAL_ONLY_KEYS))).toEqual([]);
      },
    );
  },
);
