import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { llamaCppErrorBody, llamaCppRefusal } from './loopback-llama-cpp.js';

/** A chat message as the OpenAI chat completions API receives it. */
export interface LoopbackChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  content?: string | null | Array<{ type: string; text?: string }>;
  tool_calls?: Array<{
    id: string;
    type: 'function';
    function: { name: string; arguments: string };
  }>;
  tool_call_id?: string;
}

/** The parts of a chat completions request a scripted reply needs. */
export interface LoopbackChatRequest {
  model: string;
  messages: LoopbackChatMessage[];
  stream: boolean;
  stop: string[];
  temperature?: number;
  seed?: number;
  /** `max_tokens` (or `max_completion_tokens`): longer replies are cut, finish reason `length`. */
  maxTokens?: number;
  tools: Array<{ name: string; parameters: unknown }>;
  toolChoice?: unknown;
  /**
   * Whether the server continues a trailing assistant message in place (the emulated
   * backend decides: see `LoopbackServerOptions.backend`). When it does not, `messages` ends
   * with an empty assistant message: the closed turn, then the new turn the model writes.
   */
  continueFinal: boolean;
  /** `chat` (`/v1/chat/completions`) or `completions` (`/v1/completions`, a ChatML prompt). */
  endpoint: 'chat' | 'completions';
  /** The whole parsed body, for anything else. */
  body: Record<string, unknown>;
}

/**
 * Which real server's continuation behaviour to reproduce, strictly:
 * - `vllm` (default; SGLang is the same): the chat template closes a trailing assistant
 *   message and opens a new turn, unless the body sets `continue_final_message: true` (with
 *   `add_generation_prompt: false`); both flags true is a 400, as in vLLM;
 * - `llama.cpp`: a trailing assistant message is continued and the response content is the
 *   prefill plus the new text;
 * - `openai`: no prefill; a trailing assistant message is followed by a new turn.
 * `/v1/completions` continues its prompt by construction on every backend.
 */
export type LoopbackBackend = 'vllm' | 'llama.cpp' | 'openai';

/** What the server answers; faults break the answer the way real servers do. */
export type LoopbackReply =
  | {
      text?: string;
      toolCalls?: Array<{ name: string; arguments: string | Record<string, unknown>; id?: string }>;
      finishReason?: 'stop' | 'length' | 'tool_calls';
    }
  | { fault: 'rate-limit'; retryAfterSeconds?: number }
  | { fault: 'server-error'; status?: number }
  | { fault: 'hang' }
  | { fault: 'truncate' }
  | { fault: 'malformed-tool-call'; name: string }
  | { fault: 'empty' };

export type LoopbackFault = Extract<LoopbackReply, { fault: string }>['fault'];

export interface LoopbackServerOptions {
  /** Scripted model: what to answer to a request (`callIndex` counts every request, from 0). */
  reply: (
    request: LoopbackChatRequest,
    context: { callIndex: number },
  ) => LoopbackReply | Promise<LoopbackReply>;
  /** Fault to inject for a request instead of its reply (checked first). */
  fault?: (
    request: LoopbackChatRequest,
    context: { callIndex: number },
  ) => LoopbackReply | undefined;
  /** Added before every answer (simulates generation latency). */
  latencyMs?: number;
  /** Characters per streamed delta (default 16). */
  chunkSize?: number;
  /** The server whose continuation behaviour to reproduce (default `vllm`). */
  backend?: LoopbackBackend;
}

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>/v1`, for `createOpenAI({ baseURL })`. */
  readonly baseURL: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: LoopbackChatRequest[];
  /** How many requests ended in each fault. */
  readonly faults: Record<string, number>;
  close(): Promise<void>;
}

function messageText(content: LoopbackChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => part.text ?? '').join('');
  return '';
}

/** Cut a completion at the first stop sequence, as OpenAI-compatible servers do (the stop is not returned). */
export function applyStop(
  text: string,
  stop: ReadonlyArray<string>,
): { text: string; stopped: boolean } {
  let cut = -1;
  for (const sequence of stop) {
    const at = sequence === '' ? -1 : text.indexOf(sequence);
    if (at >= 0 && (cut < 0 || at < cut)) cut = at;
  }
  return cut < 0 ? { text, stopped: false } : { text: text.slice(0, cut), stopped: true };
}

/**
 * A ChatML prompt (`/v1/completions`) read back into messages; the text after the last
 * `<|im_start|>assistant\n` without `<|im_end|>` is the partial turn being continued.
 */
export function chatmlToMessages(prompt: string): LoopbackChatMessage[] {
  const messages: LoopbackChatMessage[] = [];
  for (const block of prompt.split('<|im_start|>').slice(1)) {
    const newline = block.indexOf('\n');
    const role = (newline < 0 ? block : block.slice(0, newline)) as LoopbackChatMessage['role'];
    const rest = newline < 0 ? '' : block.slice(newline + 1);
    const end = rest.indexOf('<|im_end|>');
    messages.push({ role, content: end < 0 ? rest : rest.slice(0, end) });
  }
  return messages;
}

/**
 * Cut a reply at `maxTokens` (the loopback's tokens are 4 characters), as real servers stop at
 * `max_tokens` with finish reason `length`.
 */
function applyMaxTokens(
  cut: { text: string; stopped: boolean },
  maxTokens: number | undefined,
): { text: string; stopped: boolean; length: boolean } {
  if (maxTokens === undefined || cut.text === '' || tokens(cut.text) <= maxTokens)
    return { ...cut, length: false };
  return { text: cut.text.slice(0, Math.max(0, maxTokens) * 4), stopped: false, length: true };
}

type Continuation = { continueFinal: boolean } | { error: string };

/** What the emulated backend does with a trailing assistant message. */
function continuationFor(
  backend: LoopbackBackend,
  messages: ReadonlyArray<LoopbackChatMessage>,
  body: Record<string, unknown>,
): Continuation {
  const last = messages[messages.length - 1];
  const trailing = last?.role === 'assistant' && (last.tool_calls ?? []).length === 0;
  if (backend === 'vllm') {
    const continueFinal = body.continue_final_message === true;
    // vLLM's default is add_generation_prompt: true.
    const addGenerationPrompt = body.add_generation_prompt !== false;
    if (continueFinal && addGenerationPrompt)
      return {
        error: 'Cannot set both `continue_final_message` and `add_generation_prompt` to True.',
      };
    if (continueFinal && !trailing)
      return {
        error: 'continue_final_message is set but the final message is not an assistant message',
      };
    return { continueFinal: continueFinal && trailing };
  }
  if (backend === 'llama.cpp') return { continueFinal: trailing };
  return { continueFinal: false };
}

function parseRequest(
  body: Record<string, unknown>,
  endpoint: 'chat' | 'completions',
  continueFinal: boolean,
): LoopbackChatRequest {
  const stop = body.stop;
  const parsed = (
    endpoint === 'completions'
      ? chatmlToMessages(String(body.prompt ?? ''))
      : Array.isArray(body.messages)
        ? body.messages
        : []
  ) as LoopbackChatMessage[];
  const last = parsed[parsed.length - 1];
  // A trailing assistant message that is not continued is closed; a new turn begins.
  const messages =
    !continueFinal && last?.role === 'assistant' && (last.tool_calls ?? []).length === 0
      ? [...parsed, { role: 'assistant' as const, content: '' }]
      : parsed;
  const maxTokens = body.max_tokens ?? body.max_completion_tokens;
  const tools = Array.isArray(body.tools)
    ? (body.tools as Array<{ function?: { name?: string; parameters?: unknown } }>)
    : [];
  return {
    model: String(body.model ?? ''),
    messages,
    stream: body.stream === true,
    stop: typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop.map(String) : [],
    ...(typeof body.temperature === 'number' ? { temperature: body.temperature } : {}),
    ...(typeof body.seed === 'number' ? { seed: body.seed } : {}),
    ...(typeof maxTokens === 'number' ? { maxTokens } : {}),
    tools: tools.map((t) => ({
      name: String(t.function?.name ?? ''),
      parameters: t.function?.parameters,
    })),
    ...(body.tool_choice === undefined ? {} : { toolChoice: body.tool_choice }),
    continueFinal,
    endpoint,
    body,
  };
}

const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

/**
 * A loopback OpenAI-compatible chat completions server (node:http on 127.0.0.1, port 0) for
 * tests, benchmarks and examples: plain and streamed (SSE) completions, tool calls, stop
 * sequences, usage, and fault injection (429 with retry-after, 5xx, hung responses, cut
 * streams, malformed tool-call JSON, empty completions). Reach it with
 * `createOpenAI({ baseURL: server.baseURL, apiKey: 'test' }).chat(id)`.
 */
export async function startLoopbackServer(options: LoopbackServerOptions): Promise<LoopbackServer> {
  const requests: LoopbackChatRequest[] = [];
  const faults: Record<string, number> = {};
  let callIndex = 0;
  let idCounter = 0;
  const hung = new Set<ServerResponse>();
  const chunkSize = options.chunkSize ?? 16;
  const backend = options.backend ?? 'vllm';

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const endpoint = /\/chat\/completions$/.test(req.url ?? '')
      ? 'chat'
      : /\/completions$/.test(req.url ?? '')
        ? 'completions'
        : undefined;
    if (req.method !== 'POST' || endpoint === undefined) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'invalid JSON body' } }));
      return;
    }
    const refusal = backend === 'llama.cpp' ? llamaCppRefusal(endpoint, body) : undefined;
    if (refusal !== undefined) {
      res
        .writeHead(refusal.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(llamaCppErrorBody(refusal.status, refusal.message)));
      return;
    }
    const continuation: Continuation =
      endpoint === 'completions'
        ? { continueFinal: true }
        : continuationFor(
            backend,
            (Array.isArray(body.messages) ? body.messages : []) as LoopbackChatMessage[],
            body,
          );
    if ('error' in continuation) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          object: 'error',
          message: continuation.error,
          type: 'BadRequestError',
          code: 400,
        }),
      );
      return;
    }
    const request = parseRequest(body, endpoint, continuation.continueFinal);
    const context = { callIndex: callIndex++ };
    requests.push(request);
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const reply = options.fault?.(request, context) ?? (await options.reply(request, context));
    const id = `chatcmpl-${++idCounter}`;
    const created = Math.floor(Date.now() / 1000);
    const model = request.model;

    if ('fault' in reply) {
      faults[reply.fault] = (faults[reply.fault] ?? 0) + 1;
      switch (reply.fault) {
        case 'rate-limit':
          res
            .writeHead(429, {
              'content-type': 'application/json',
              'retry-after': String(reply.retryAfterSeconds ?? 1),
            })
            .end(
              JSON.stringify({
                error: {
                  message: 'Rate limit reached',
                  type: 'rate_limit_error',
                  code: 'rate_limit_exceeded',
                },
              }),
            );
          return;
        case 'server-error':
          res
            .writeHead(reply.status ?? 500, { 'content-type': 'application/json' })
            .end(
              JSON.stringify({ error: { message: 'internal server error', type: 'server_error' } }),
            );
          return;
        case 'hang':
          // Headers never come; the client's timeout must fire. Closed when the server closes.
          hung.add(res);
          return;
        case 'truncate':
          if (request.stream) {
            res.writeHead(200, { 'content-type': 'text/event-stream' });
            res.write(
              `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta: { role: 'assistant', content: 'The answer' }, finish_reason: null }] })}\n\n`,
            );
          } else {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.write(
              '{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"The ans',
            );
          }
          res.socket?.destroy();
          return;
        case 'empty':
          sendCompletion(
            res,
            request,
            { id, created, model, text: '', toolCalls: [], finishReason: 'stop' },
            chunkSize,
            backend,
          );
          return;
        case 'malformed-tool-call':
          sendCompletion(
            res,
            request,
            {
              id,
              created,
              model,
              text: '',
              toolCalls: [
                { id: `call_${idCounter}`, name: reply.name, arguments: '{"code": "print(1+1)' },
              ],
              finishReason: 'tool_calls',
            },
            chunkSize,
            backend,
          );
          return;
      }
    }
    const stopped = applyStop(reply.text ?? '', request.stop);
    const cut = applyMaxTokens(stopped, request.maxTokens);
    const toolCalls = (reply.toolCalls ?? []).map((call, i) => ({
      id: call.id ?? `call_${idCounter}_${i}`,
      name: call.name,
      arguments:
        typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    }));
    const finishReason = reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
    // llama.cpp's server returns the prefill plus the new text as the content.
    const last = request.messages[request.messages.length - 1];
    const echo =
      backend === 'llama.cpp' && request.endpoint === 'chat' && request.continueFinal
        ? messageText(last?.content)
        : '';
    sendCompletion(
      res,
      request,
      {
        id,
        created,
        model,
        text: echo + cut.text,
        echoed: echo.length,
        toolCalls,
        finishReason: cut.length ? 'length' : cut.stopped ? 'stop' : finishReason,
      },
      chunkSize,
      backend,
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { message: error instanceof Error ? error.message : String(error) },
        }),
      );
    });
  });
  // Benchmarks keep 64+ connections busy; the default keep-alive timeout would drop idle ones mid-run.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hung) res.socket?.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sendCompletion(
  res: ServerResponse,
  request: LoopbackChatRequest,
  answer: {
    id: string;
    created: number;
    model: string;
    text: string;
    /** Characters at the start of `text` that echo the prefill (not generated, not counted). */
    echoed?: number;
    toolCalls: Array<{ id: string; name: string; arguments: string }>;
    finishReason: string;
  },
  size: number,
  backend: LoopbackBackend,
): void {
  const promptTokens = tokens(request.messages.map((m) => messageText(m.content)).join('\n'));
  if (request.endpoint === 'completions') {
    sendTextCompletion(res, request, answer, promptTokens, size, backend);
    return;
  }
  const generated = answer.text.slice(answer.echoed ?? 0);
  const completionTokens =
    generated === '' && answer.toolCalls.length === 0
      ? 0
      : tokens(generated + answer.toolCalls.map((c) => c.arguments).join(''));
  const usage = usageOf(promptTokens, completionTokens, backend);
  const base = { id: answer.id, created: answer.created, model: answer.model };
  if (!request.stream) {
    const message: Record<string, unknown> = {
      role: 'assistant',
      content: answer.toolCalls.length > 0 && answer.text === '' ? null : answer.text,
    };
    if (answer.toolCalls.length > 0) {
      message.tool_calls = answer.toolCalls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      }));
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message, finish_reason: answer.finishReason }],
        usage,
      }),
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (choice: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    res.write(
      `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [choice], ...extra })}\n\n`,
    );
  // llama.cpp opens its streams with a null content (seen on the real server), vLLM with ''.
  const opening = backend === 'llama.cpp' ? null : '';
  send({ index: 0, delta: { role: 'assistant', content: opening }, finish_reason: null });
  for (let i = 0; i < answer.text.length; i += size)
    send({ index: 0, delta: { content: answer.text.slice(i, i + size) }, finish_reason: null });
  answer.toolCalls.forEach((call, index) => {
    send({
      index: 0,
      delta: {
        tool_calls: [
          { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
        ],
      },
      finish_reason: null,
    });
    for (let i = 0; i < call.arguments.length; i += size) {
      send({
        index: 0,
        delta: {
          tool_calls: [{ index, function: { arguments: call.arguments.slice(i, i + size) } }],
        },
        finish_reason: null,
      });
    }
  });
  send({ index: 0, delta: {}, finish_reason: answer.finishReason });
  const includeUsage =
    (request.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage ===
    true;
  if (includeUsage)
    res.write(
      `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage })}\n\n`,
    );
  res.end('data: [DONE]\n\n');
}

/** The `/v1/completions` response shape (`choices[].text`), plain or streamed. */
function sendTextCompletion(
  res: ServerResponse,
  request: LoopbackChatRequest,
  answer: { id: string; created: number; model: string; text: string; finishReason: string },
  promptTokens: number,
  size: number,
  backend: LoopbackBackend,
): void {
  const completionTokens = answer.text === '' ? 0 : tokens(answer.text);
  const usage = usageOf(promptTokens, completionTokens, backend);
  // llama.cpp's streamed text chunks carry `logprobs: null` as its plain answer does.
  const chunkExtra = backend === 'llama.cpp' ? { logprobs: null } : {};
  const base = {
    id: answer.id.replace('chatcmpl', 'cmpl'),
    object: 'text_completion',
    created: answer.created,
    model: answer.model,
  };
  const finish = answer.finishReason === 'tool_calls' ? 'stop' : answer.finishReason;
  if (!request.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        ...base,
        choices: [{ index: 0, text: answer.text, logprobs: null, finish_reason: finish }],
        usage,
      }),
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (let i = 0; i < answer.text.length; i += size)
    res.write(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, text: answer.text.slice(i, i + size), ...chunkExtra, finish_reason: null }] })}\n\n`,
    );
  res.write(
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, text: '', ...chunkExtra, finish_reason: finish }], usage })}\n\n`,
  );
  res.end('data: [DONE]\n\n');
}

/** OpenAI-style usage; llama.cpp adds how many prompt tokens its cache served (none here). */
function usageOf(promptTokens: number, completionTokens: number, backend: LoopbackBackend) {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    ...(backend === 'llama.cpp' ? { prompt_tokens_details: { cached_tokens: 0 } } : {}),
  };
}
