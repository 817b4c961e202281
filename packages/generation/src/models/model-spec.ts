import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { GenerationConfigError } from '../errors.js';
import { createRecordingModel, createReplayModel } from './cassette.js';

export interface ModelSpec {
  /** `openai:<id>` (OpenAI itself), or a bare `<id>` served at `baseURL`. */
  model?: string;
  /** An OpenAI-compatible endpoint: vLLM, Ollama, llama.cpp server, a proxy. */
  baseURL?: string;
  /** API key; default `OPENAI_API_KEY` from the environment (or `none` for a local `baseURL`). */
  apiKey?: string;
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

export interface ResolvedModel {
  model: LanguageModelV4;
  /** Name for provenance and manifests (`openai:gpt-4o-mini`, `openai:scripted-gsm8k-policy`). */
  modelName: string;
  mode: 'live' | 'replay' | 'demo-replay';
  /** Flush and close a recording cassette. */
  close(): void;
}

/**
 * A model from command-line style settings. With neither `model` nor `replay`, the
 * `fallbackReplay` cassette is replayed (the CLI's offline default).
 */
export function resolveModel(
  spec: ModelSpec,
  env: Record<string, string | undefined> = process.env,
): ResolvedModel {
  if (spec.replay !== undefined && (spec.model !== undefined || spec.baseURL !== undefined)) {
    throw new GenerationConfigError({
      message: '--replay answers from a cassette; it cannot be combined with --model or --base-url',
    });
  }
  if (spec.record !== undefined && spec.model === undefined) {
    throw new GenerationConfigError({
      message: '--record needs a live model (--model openai:<id>, or --base-url URL --model <id>)',
    });
  }
  if (spec.replay !== undefined || spec.model === undefined) {
    if (spec.baseURL !== undefined)
      throw new GenerationConfigError({ message: '--base-url needs --model <id>' });
    const demo = spec.replay === undefined;
    const cassette = spec.replay ?? spec.fallbackReplay;
    if (cassette === undefined)
      throw new GenerationConfigError({
        message: 'no model given: pass --model (or --replay <cassette>)',
      });
    const model = createReplayModel({ cassette });
    return {
      model,
      modelName: `openai:${model.modelId.replace(/^openai:/, '')}`,
      mode: demo ? 'demo-replay' : 'replay',
      close: () => undefined,
    };
  }
  let id = spec.model;
  if (spec.baseURL === undefined) {
    const match = /^openai:(.+)$/.exec(spec.model);
    if (match === null)
      throw new GenerationConfigError({
        message: `--model must be openai:<id> (or use --base-url URL --model <id>), got "${spec.model}"`,
      });
    id = match[1]!;
  } else {
    id = spec.model.replace(/^openai:/, '');
  }
  const apiKey =
    spec.apiKey ?? env.OPENAI_API_KEY ?? (spec.baseURL === undefined ? undefined : 'none');
  if (apiKey === undefined)
    throw new GenerationConfigError({
      message: 'OPENAI_API_KEY is not set (needed for --model openai:<id>)',
    });
  const live = createOpenAI({
    apiKey,
    ...(spec.baseURL === undefined ? {} : { baseURL: spec.baseURL }),
  }).chat(id);
  if (spec.record === undefined)
    return { model: live, modelName: `openai:${id}`, mode: 'live', close: () => undefined };
  const recording = createRecordingModel({ model: live, cassette: spec.record });
  return {
    model: recording,
    modelName: `openai:${id}`,
    mode: 'live',
    close: () => recording.writer.close(),
  };
}
