import type { LanguageModelV4, ProviderV4 } from '@ai-sdk/provider';
import { createProviderRegistry } from 'ai';
import { GenerationConfigError } from '../errors.js';
import { createRecordingModel, createReplayModel } from './cassette.js';
import { loadChatTemplate } from './chat-template.js';
import {
  type ContinuationMode,
  continuationModes,
  continuationOf,
  markContinuation,
} from './continuation.js';
import {
  createCompatibleProvider,
  createOpenAIChatProvider,
  createVllmProvider,
  nativeContinuationProvider,
} from './providers.js';

/** The providers a `--model` value can name, as `<provider>:<id>`. */
export const modelProviders = ['openai', 'vllm', 'compatible', 'local'] as const;
export type ModelProviderName = (typeof modelProviders)[number];

export interface ModelSpec {
  /**
   * `openai:<id>` (the OpenAI API), `vllm:<id>` (vLLM / SGLang at `baseURL`),
   * `compatible:<id>` (any OpenAI-compatible server at `baseURL`, see `continuation`),
   * `local:<file.gguf>` or `local:smollm2` / `local:gemma3` (the embedded llama.cpp model).
   */
  model?: string;
  /** The server for `vllm:` and `compatible:` (and an OpenAI-shaped proxy for `openai:`). */
  baseURL?: string;
  /** API key; default `$OPENAI_API_KEY` for `openai:`, `EMPTY` for local servers. */
  apiKey?: string;
  /** For `compatible:`: `completions` (default), `prefill`, `vllm` or `none`. */
  continuation?: string;
  /** For `compatible:` with `completions`: `chatml` (default), a tokenizer_config.json or a .jinja file. */
  chatTemplate?: string;
  /** Answer from a cassette instead of a live model. */
  replay?: string;
  /** Append every live response to this cassette. */
  record?: string;
  /**
   * Cassette replayed when neither `model` nor `replay` is given (the CLI passes the shipped
   * demo cassette of @autotraj/repairer); without it, a model is required.
   */
  fallbackReplay?: string;
}

/** Where `local:` models come from: the optional `@autotraj/llama-cpp` package's provider. */
export interface LocalModelSource {
  provider: ProviderV4;
  /** Free the loaded weights. */
  close?(): Promise<void> | void;
}

export interface ResolveModelOptions {
  /** Environment for `$AUTOTRAJ_BASE_URL`, `$AUTOTRAJ_API_KEY`, `$OPENAI_API_KEY`. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Needed for `local:` models (the CLI loads `@autotraj/llama-cpp` on demand). */
  local?: LocalModelSource;
}

export interface ResolvedModel {
  model: LanguageModelV4;
  /** Name for provenance and manifests (`vllm:Qwen2.5-7B-Instruct`, `vllm:scripted-gsm8k-policy`). */
  modelName: string;
  mode: 'live' | 'replay' | 'demo-replay';
  /** How the model continues an assistant message (what the text-tag protocol needs). */
  continuation: ContinuationMode;
  /** Flush and close a recording cassette; free a local model. */
  close(): Promise<void>;
}

const usage =
  'openai:<id>, vllm:<id> (with `baseURL`), compatible:<id> (with `baseURL`), local:<file.gguf>, local:smollm2 or local:gemma3';

/** `<provider>:<id>` split, with a typed error naming the accepted forms. */
export function parseModelName(model: string): { provider: ModelProviderName; id: string } {
  const at = model.indexOf(':');
  const provider = model.slice(0, Math.max(0, at));
  const id = model.slice(at + 1);
  if (at <= 0 || id === '' || !(modelProviders as ReadonlyArray<string>).includes(provider))
    throw new GenerationConfigError({
      message: `\`model\` must be one of ${usage}; got "${model}"`,
    });
  return { provider: provider as ModelProviderName, id };
}

function providerFor(
  provider: ModelProviderName,
  spec: ModelSpec,
  options: ResolveModelOptions,
): ProviderV4 {
  const env = options.env ?? process.env;
  const baseURL = spec.baseURL ?? env.AUTOTRAJ_BASE_URL;
  const apiKey = spec.apiKey ?? env.AUTOTRAJ_API_KEY;
  if (spec.continuation !== undefined && provider !== 'compatible')
    throw new GenerationConfigError({
      message: `\`continuation\` applies to compatible:<id> models only (${provider}: has its own)`,
    });
  if (spec.chatTemplate !== undefined && provider !== 'compatible')
    throw new GenerationConfigError({
      message: '`chatTemplate` applies to compatible:<id> models with `continuation` completions',
    });
  switch (provider) {
    case 'openai': {
      const key = apiKey ?? env.OPENAI_API_KEY;
      if (key === undefined)
        throw new GenerationConfigError({
          message: 'OPENAI_API_KEY is not set (needed for `model` openai:<id>)',
        });
      return createOpenAIChatProvider({
        apiKey: key,
        ...(baseURL === undefined ? {} : { baseURL }),
      });
    }
    case 'vllm':
    case 'compatible': {
      if (baseURL === undefined)
        throw new GenerationConfigError({
          message: `\`model\` ${provider}:<id> needs \`baseURL\` (or $AUTOTRAJ_BASE_URL), e.g. http://localhost:8000/v1`,
        });
      if (provider === 'vllm')
        return createVllmProvider({ baseURL, ...(apiKey === undefined ? {} : { apiKey }) });
      const continuation = spec.continuation ?? 'completions';
      if (
        !(continuationModes as ReadonlyArray<string>).includes(continuation) ||
        continuation === 'native'
      )
        throw new GenerationConfigError({
          message: `\`continuation\` must be completions, prefill, vllm or none; got "${continuation}"`,
        });
      if (spec.chatTemplate !== undefined && continuation !== 'completions')
        throw new GenerationConfigError({
          message: '`chatTemplate` is only used with `continuation` completions',
        });
      return createCompatibleProvider({
        baseURL,
        ...(apiKey === undefined ? {} : { apiKey }),
        continuation: continuation as 'completions' | 'prefill' | 'vllm' | 'none',
        ...(spec.chatTemplate === undefined
          ? {}
          : { template: loadChatTemplate(spec.chatTemplate) }),
      });
    }
    case 'local':
      if (baseURL !== undefined)
        throw new GenerationConfigError({
          message: '`baseURL` does not apply to local:<model> (it runs in this process)',
        });
      if (options.local === undefined)
        throw new GenerationConfigError({
          message:
            'local: models run on @autotraj/llama-cpp, which is not loaded (install it: npm install @autotraj/llama-cpp)',
        });
      return nativeContinuationProvider(options.local.provider);
  }
}

/**
 * A model from command-line style settings, through the `ai` SDK's provider registry: the
 * same `--model` vocabulary for every command. With neither `model` nor `replay`, the
 * `fallbackReplay` cassette is replayed (the CLI's offline default).
 */
export function resolveModel(spec: ModelSpec, options: ResolveModelOptions = {}): ResolvedModel {
  if (spec.replay !== undefined && (spec.model !== undefined || spec.baseURL !== undefined)) {
    throw new GenerationConfigError({
      message: '`replay` answers from a cassette; it cannot be combined with `model` or `baseURL`',
    });
  }
  if (spec.record !== undefined && spec.model === undefined) {
    throw new GenerationConfigError({
      message: `\`record\` needs a live model (\`model\` ${usage})`,
    });
  }
  if (spec.replay !== undefined || spec.model === undefined) {
    if (spec.baseURL !== undefined)
      throw new GenerationConfigError({ message: `\`baseURL\` needs \`model\` (${usage})` });
    const demo = spec.replay === undefined;
    const cassette = spec.replay ?? spec.fallbackReplay;
    if (cassette === undefined)
      throw new GenerationConfigError({
        message: `no model given: pass \`model\` (${usage}) or \`replay\` <cassette>`,
      });
    const model = markContinuation(createReplayModel({ cassette }), 'native');
    return {
      model,
      // Recorded names carry their provider (`vllm:x`, `openai:x`); only a bare id gets one.
      modelName: model.modelId.includes(':') ? model.modelId : `openai:${model.modelId}`,
      mode: demo ? 'demo-replay' : 'replay',
      continuation: 'native',
      close: async () => undefined,
    };
  }
  const { provider, id } = parseModelName(spec.model);
  const providers: Record<string, ProviderV4> = {
    [provider]: providerFor(provider, spec, options),
  };
  const live: LanguageModelV4 = createProviderRegistry(providers).languageModel(
    `${provider}:${id}`,
  );
  const continuation = continuationOf(live) ?? 'none';
  const closeLocal = async () => {
    if (provider === 'local') await options.local?.close?.();
  };
  const modelName = `${provider}:${id}`;
  if (spec.record === undefined)
    return { model: live, modelName, mode: 'live', continuation, close: closeLocal };
  const recording = createRecordingModel({ model: live, cassette: spec.record });
  return {
    model: markContinuation(recording, continuation),
    modelName,
    mode: 'live',
    continuation,
    close: async () => {
      recording.writer.close();
      await closeLocal();
    },
  };
}
