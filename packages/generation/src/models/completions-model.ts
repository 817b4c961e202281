import {
  APICallError,
  type LanguageModelV4,
  type LanguageModelV4CallOptions,
  type LanguageModelV4GenerateResult,
  type LanguageModelV4StreamPart,
  UnsupportedFunctionalityError,
} from '@ai-sdk/provider';
import { type ChatTemplate, chatmlTemplate, splitPrompt } from './chat-template.js';
import { markContinuation } from './continuation.js';

export interface CompletionsModelOptions {
  /** OpenAI-compatible base URL (`http://localhost:8000/v1`); `/completions` is appended. */
  baseURL: string;
  /** Model id as the server knows it. */
  modelId: string;
  apiKey?: string;
  /** Renders the chat turns client-side (default ChatML, Qwen2.5's and SmolLM2's format). */
  template?: ChatTemplate;
  fetch?: typeof fetch;
  headers?: Record<string, string>;
}

interface CompletionsResponse {
  id?: string;
  model?: string;
  choices?: Array<{ text?: string; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

function unifiedFinish(
  raw: string | null | undefined,
): LanguageModelV4GenerateResult['finishReason'] {
  const unified = raw === 'stop' ? 'stop' : raw === 'length' ? 'length' : 'other';
  return { unified, raw: raw ?? undefined };
}

/**
 * A model over an OpenAI-compatible `/v1/completions` endpoint (vLLM, SGLang, llama.cpp):
 * the chat template is rendered here and a partial assistant message is appended raw, so the
 * server continues it by construction (what the paper's code does with vLLM `generate`).
 * Streaming returns the whole completion as one delta.
 */
export function createCompletionsModel(options: CompletionsModelOptions): LanguageModelV4 {
  const template = options.template ?? chatmlTemplate;
  const doFetch = options.fetch ?? fetch;
  const url = `${options.baseURL.replace(/\/+$/, '')}/completions`;

  const doGenerate = async (
    call: LanguageModelV4CallOptions,
  ): Promise<LanguageModelV4GenerateResult> => {
    if (call.tools !== undefined && call.tools.length > 0)
      throw new UnsupportedFunctionalityError({
        functionality: 'tool calling on a completions endpoint (use the text-tag protocol)',
      });
    const { messages, assistantPrefix } = splitPrompt(call.prompt);
    const prompt = template(messages) + assistantPrefix;
    const body: Record<string, unknown> = {
      model: options.modelId,
      prompt,
      ...(call.maxOutputTokens === undefined ? {} : { max_tokens: call.maxOutputTokens }),
      ...(call.temperature === undefined ? {} : { temperature: call.temperature }),
      ...(call.topP === undefined ? {} : { top_p: call.topP }),
      ...(call.topK === undefined ? {} : { top_k: call.topK }),
      ...(call.seed === undefined ? {} : { seed: call.seed }),
      ...(call.stopSequences === undefined || call.stopSequences.length === 0
        ? {}
        : { stop: call.stopSequences }),
    };
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` }),
          ...options.headers,
          ...(call.headers as Record<string, string> | undefined),
        },
        body: JSON.stringify(body),
        ...(call.abortSignal === undefined ? {} : { signal: call.abortSignal }),
      });
    } catch (cause) {
      if ((cause as Error).name === 'AbortError') throw cause;
      throw new APICallError({
        message: `cannot reach ${url}: ${(cause as Error).message}`,
        url,
        requestBodyValues: body,
        cause,
        isRetryable: true,
      });
    }
    const responseHeaders = Object.fromEntries(response.headers.entries());
    const text = await response.text();
    if (!response.ok)
      throw new APICallError({
        message: `${url} answered ${response.status}: ${text.slice(0, 300)}`,
        url,
        requestBodyValues: body,
        statusCode: response.status,
        responseHeaders,
        responseBody: text,
        isRetryable: response.status === 408 || response.status === 429 || response.status >= 500,
      });
    let parsed: CompletionsResponse;
    try {
      parsed = JSON.parse(text) as CompletionsResponse;
    } catch (cause) {
      throw new APICallError({
        message: `${url}: the response is not JSON`,
        url,
        requestBodyValues: body,
        statusCode: response.status,
        responseHeaders,
        responseBody: text,
        cause,
        isRetryable: true,
      });
    }
    const choice = parsed.choices?.[0];
    const output = choice?.text ?? '';
    return {
      content: output === '' ? [] : [{ type: 'text', text: output }],
      finishReason: unifiedFinish(choice?.finish_reason),
      usage: {
        inputTokens: {
          total: parsed.usage?.prompt_tokens,
          noCache: undefined,
          cacheRead: undefined,
          cacheWrite: undefined,
        },
        outputTokens: {
          total: parsed.usage?.completion_tokens,
          text: parsed.usage?.completion_tokens,
          reasoning: undefined,
        },
      },
      warnings: [],
      request: { body },
      response: {
        ...(parsed.id === undefined ? {} : { id: parsed.id }),
        ...(parsed.model === undefined ? {} : { modelId: parsed.model }),
        headers: responseHeaders,
        body: parsed,
      },
    };
  };

  const model: LanguageModelV4 = {
    specificationVersion: 'v4',
    provider: 'completions',
    modelId: options.modelId,
    supportedUrls: {},
    doGenerate,
    async doStream(call) {
      const result = await doGenerate(call);
      const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          if (text !== '') {
            controller.enqueue({ type: 'text-start', id: '0' });
            controller.enqueue({ type: 'text-delta', id: '0', delta: text });
            controller.enqueue({ type: 'text-end', id: '0' });
          }
          controller.enqueue({
            type: 'finish',
            finishReason: result.finishReason,
            usage: result.usage,
          });
          controller.close();
        },
      });
      return { stream, ...(result.request === undefined ? {} : { request: result.request }) };
    },
  };
  return markContinuation(model, 'completions');
}
