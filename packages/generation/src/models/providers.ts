import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { type LanguageModelV4, NoSuchModelError, type ProviderV4 } from '@ai-sdk/provider';
import { type ChatTemplate, chatmlTemplate } from './chat-template.js';
import { createCompletionsModel } from './completions-model.js';
import {
  type ContinuationMode,
  markContinuation,
  withoutContinuation,
  withPrefillContinuation,
  withVllmContinuation,
} from './continuation.js';
import { httpFetch } from './http-fetch.js';

/** A provider that only makes language models (what the registry needs from ours). */
export function languageModelProvider(
  languageModel: (modelId: string) => LanguageModelV4,
): ProviderV4 {
  const none = (modelType: 'embeddingModel' | 'imageModel') => (modelId: string) => {
    throw new NoSuchModelError({ modelId, modelType });
  };
  return {
    specificationVersion: 'v4',
    languageModel,
    embeddingModel: none('embeddingModel'),
    imageModel: none('imageModel'),
  };
}

export interface ServerProviderOptions {
  /** OpenAI-compatible base URL, e.g. `http://localhost:8000/v1`. */
  baseURL: string;
  /** Local servers accept any key; default `EMPTY`. */
  apiKey?: string | undefined;
  /**
   * The HTTP client. Default: a keep-alive node:http client that costs less CPU per call than
   * the runtime's fetch at high concurrency; pass `globalThis.fetch` (or a proxying fetch) to
   * use another.
   */
  fetch?: typeof fetch | undefined;
}

/**
 * vLLM or SGLang: chat completions through `@ai-sdk/openai-compatible`, with
 * `continue_final_message` / `add_generation_prompt` set whenever the prompt ends in a
 * partial assistant message (the text-tag protocol's continuation).
 */
export function createVllmProvider(options: ServerProviderOptions): ProviderV4 {
  const compatible = createOpenAICompatible({
    name: 'vllm',
    baseURL: options.baseURL,
    apiKey: options.apiKey ?? 'EMPTY',
    includeUsage: true,
    fetch: options.fetch ?? httpFetch,
  });
  return languageModelProvider((id) => withVllmContinuation(compatible.chatModel(id)));
}

export interface CompatibleProviderOptions extends ServerProviderOptions {
  /**
   * How the server continues an assistant message: `completions` (default: `/v1/completions`
   * on a client-rendered template; works on vLLM, SGLang and llama.cpp), `prefill` (chat, with
   * an echoed prefix stripped: llama.cpp), `vllm` (chat with vLLM's flags) or `none`.
   */
  continuation?: Exclude<ContinuationMode, 'native'>;
  /** The chat template for `completions` (default ChatML). */
  template?: ChatTemplate;
}

/** Any OpenAI-compatible server, with an explicit continuation mode. */
export function createCompatibleProvider(options: CompatibleProviderOptions): ProviderV4 {
  const apiKey = options.apiKey ?? 'EMPTY';
  const mode = options.continuation ?? 'completions';
  if (mode === 'completions')
    return languageModelProvider((id) =>
      createCompletionsModel({
        baseURL: options.baseURL,
        modelId: id,
        apiKey,
        template: options.template ?? chatmlTemplate,
        fetch: options.fetch ?? httpFetch,
      }),
    );
  const compatible = createOpenAICompatible({
    name: 'compatible',
    baseURL: options.baseURL,
    apiKey,
    includeUsage: true,
    fetch: options.fetch ?? httpFetch,
  });
  const wrap =
    mode === 'prefill'
      ? withPrefillContinuation
      : mode === 'vllm'
        ? withVllmContinuation
        : withoutContinuation;
  return languageModelProvider((id) => wrap(compatible.chatModel(id)));
}

/** OpenAI itself (or an OpenAI-shaped proxy): no prefill, so text tags are refused. */
export function createOpenAIChatProvider(options: {
  apiKey: string;
  baseURL?: string;
}): ProviderV4 {
  const openai = createOpenAI({
    apiKey: options.apiKey,
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
  });
  return languageModelProvider((id) => withoutContinuation(openai.chat(id)));
}

/** Mark a provider's models as continuing in place (embedded models). */
export function nativeContinuationProvider(provider: ProviderV4): ProviderV4 {
  return languageModelProvider((id) => markContinuation(provider.languageModel(id), 'native'));
}
