import type { LanguageModelV4, ProviderV4 } from '@ai-sdk/provider';
import {
  type JsonlWriter,
  type PromptTemplate,
  promptTemplateSchema,
  type RenderedPrompt,
} from '@autotraj/trajectory';
import { entryInputParser, objectWithMethods } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import { GenerationConfigError } from '../errors.js';
import {
  type CassetteEntry,
  createRecordingModel as createRecordingUnchecked,
  createReplayModel as createReplayUnchecked,
  type RecordingModelOptions,
  type ReplayModelOptions,
  readCassette as readCassetteUnchecked,
} from '../models/cassette.js';
import {
  type CompletionsModelOptions,
  createCompletionsModel as createCompletionsUnchecked,
} from '../models/completions-model.js';
import {
  type ModelSpec,
  type ResolvedModel,
  type ResolveModelOptions,
  resolveModel as resolveUnchecked,
} from '../models/model-spec.js';
import {
  type CompatibleProviderOptions,
  createCompatibleProvider as createCompatibleUnchecked,
  createOpenAIChatProvider as createOpenAiUnchecked,
  createVllmProvider as createVllmUnchecked,
  type ServerProviderOptions,
} from '../models/providers.js';
import {
  callWithRetry as callWithRetryUnchecked,
  type ModelLike,
  type RetryOptions,
  withRetries as withRetriesUnchecked,
} from '../models/resilient-model.js';
import { renderTaskPrompt as renderTaskPromptUnchecked } from '../prompts/render.js';

// The model and provider factories, the retry wrappers and the prompt renderer of the main
// entry check their options before anything is built or called: keys strictly (a misspelt
// `baseUrl` is an error naming it, not a provider pointed at nothing), values by type. Objects
// the library calls (models, fetch, templates, callbacks) are checked by kind and kept.

export const parseGenerationInput = entryInputParser(
  (problem) =>
    new GenerationConfigError({
      code: 'invalid_input',
      message: problem.message,
      cause: problem.error,
    }),
);
const parse = parseGenerationInput;

const aFunction = <T>(what: string) =>
  z.custom<T>((v) => typeof v === 'function', { message: `expected ${what} (a function)` });
const model = objectWithMethods<ModelLike>('a language model', 'doGenerate');

/** A tool-call budget: `Infinity` is no budget (zod's number refuses it). */
export const toolBudgetSchema = z.custom<number>((v) => typeof v === 'number' && v >= 0, {
  message: 'expected a number >= 0',
});
/** `promptValues`: what fills a template's `{{attempt}}` and `{{notes}}`. */
export const promptValuesSchema = z.strictObject({
  attempt: z.string().optional(),
  notes: z.string().optional(),
});

/** The retry policy's options (also the loop's `retry`). */
export const retryOptionsSchema = z.strictObject({
  retries: z.number().int().nonnegative().optional(),
  baseDelayMs: z.number().nonnegative().optional(),
  maxDelayMs: z.number().nonnegative().optional(),
  timeoutMs: z.number().positive().optional(),
  retryEmpty: z.boolean().optional(),
  onRetry: aFunction<RetryOptions['onRetry']>('an onRetry callback').optional(),
  sleep: aFunction<RetryOptions['sleep']>('a sleep function').optional(),
});

const serverShape = {
  baseURL: z.string().min(1),
  apiKey: z.string().optional(),
  fetch: aFunction<typeof fetch>('a fetch function').optional(),
};
const serverOptions = z.strictObject(serverShape);
const compatibleOptions = z.strictObject({
  ...serverShape,
  continuation: z.enum(['completions', 'prefill', 'vllm', 'none']).optional(),
  template: aFunction<CompatibleProviderOptions['template']>('a chat template').optional(),
});

/** vLLM or SGLang chat completions (see models/providers.ts), options checked. */
export function createVllmProvider(options: ServerProviderOptions): ProviderV4 {
  return createVllmUnchecked(parse(serverOptions, options, 'createVllmProvider', 'options'));
}

/** Any OpenAI-compatible server (see models/providers.ts), options checked. */
export function createCompatibleProvider(options: CompatibleProviderOptions): ProviderV4 {
  return createCompatibleUnchecked(
    parse(compatibleOptions, options, 'createCompatibleProvider', 'options') as typeof options,
  );
}

const openAiOptions = z.strictObject({
  apiKey: z.string().min(1),
  baseURL: z.string().min(1).optional(),
});

/** OpenAI itself (see models/providers.ts), options checked. */
export function createOpenAIChatProvider(options: {
  apiKey: string;
  baseURL?: string;
}): ProviderV4 {
  return createOpenAiUnchecked(
    parse(openAiOptions, options, 'createOpenAIChatProvider', 'options') as typeof options,
  );
}

const completionsOptions = z.strictObject({
  baseURL: z.string().min(1),
  modelId: z.string().min(1),
  apiKey: z.string().optional(),
  template: aFunction<CompletionsModelOptions['template']>('a chat template').optional(),
  fetch: aFunction<typeof fetch>('a fetch function').optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

/** A `/v1/completions` model on a client-rendered chat template, options checked. */
export function createCompletionsModel(options: CompletionsModelOptions): LanguageModelV4 {
  return createCompletionsUnchecked(
    parse(completionsOptions, options, 'createCompletionsModel', 'options') as typeof options,
  );
}

/** Every provider call of `model` under the retry policy (see models/resilient-model.ts), checked. */
export function withRetries(modelArg: ModelLike, options: RetryOptions = {}): LanguageModelV4 {
  const entry = 'withRetries';
  return withRetriesUnchecked(
    parse(model, modelArg, entry, 'model'),
    parse(retryOptionsSchema, options, entry, 'options') as RetryOptions,
  );
}

const callRetryOptions = retryOptionsSchema.extend({
  signal: z.instanceof(AbortSignal).optional(),
});

/** `fn` under the retry policy (see models/resilient-model.ts), its arguments checked. */
export function callWithRetry<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  options: RetryOptions & { signal?: AbortSignal | undefined } = {},
): Promise<T> {
  const entry = 'callWithRetry';
  try {
    parse(aFunction('the call to retry'), fn, entry, 'fn');
    return callWithRetryUnchecked(
      fn,
      parse(callRetryOptions, options, entry, 'options') as typeof options,
    );
  } catch (error) {
    return Promise.reject(error);
  }
}

const cassetteEntries = z.custom<ReadonlyArray<CassetteEntry>>((v) => Array.isArray(v), {
  message: 'expected a cassette file path or an array of cassette entries',
});
const replayOptions = z.strictObject({
  cassette: z.union([z.string().min(1), cassetteEntries]),
  modelId: z.string().optional(),
});

/** A model answering from a cassette (see models/cassette.ts), options checked. */
export function createReplayModel(options: ReplayModelOptions): LanguageModelV4 {
  return createReplayUnchecked(
    parse(replayOptions, options, 'createReplayModel', 'options') as ReplayModelOptions,
  );
}

const recordingOptions = z.strictObject({
  model,
  cassette: z.string().min(1),
  source: z.enum(['recorded', 'authored']).optional(),
});

/** A live model whose responses are appended to a cassette, options checked first. */
export function createRecordingModel(
  options: RecordingModelOptions,
): LanguageModelV4 & { readonly writer: JsonlWriter<unknown> } {
  return createRecordingUnchecked(
    parse(recordingOptions, options, 'createRecordingModel', 'options') as RecordingModelOptions,
  );
}

/** A cassette's entries (see models/cassette.ts), the path checked first. */
export function readCassette(path: string): CassetteEntry[] {
  return readCassetteUnchecked(parse(z.string().min(1), path, 'readCassette', 'path'));
}

const modelSpec = z.strictObject({
  model: z.string().optional(),
  baseURL: z.string().optional(),
  apiKey: z.string().optional(),
  continuation: z.string().optional(),
  chatTemplate: z.string().optional(),
  replay: z.string().optional(),
  record: z.string().optional(),
  fallbackReplay: z.string().optional(),
});
const resolveOptions = z.strictObject({
  env: z.record(z.string(), z.string().optional()).optional(),
  local: z
    .looseObject({
      provider: objectWithMethods<ProviderV4>('a provider', 'languageModel'),
      close: aFunction<() => void>('a close function').optional(),
    })
    .optional(),
});

/** A model from its name and settings (see models/model-spec.ts), both checked. */
export function resolveModel(spec: ModelSpec, options: ResolveModelOptions = {}): ResolvedModel {
  const entry = 'resolveModel';
  parse(modelSpec, spec, entry, 'spec');
  parse(resolveOptions, options, entry, 'options');
  // The caller's objects as they are (env may be process.env, local holds a loaded model).
  return resolveUnchecked(spec, options);
}

const taskPromptValues = z.strictObject({
  question: z.string(),
  toolNames: z.array(z.string()),
  maxToolCalls: toolBudgetSchema,
  attempt: z.string().optional(),
  notes: z.string().optional(),
});

/** A template's turns for one task (see prompts/render.ts), template and values checked. */
export function renderTaskPrompt(
  template: PromptTemplate,
  values: Parameters<typeof renderTaskPromptUnchecked>[1],
): RenderedPrompt {
  const entry = 'renderTaskPrompt';
  return renderTaskPromptUnchecked(
    parse(promptTemplateSchema, template, entry, 'template'),
    parse(taskPromptValues, values, entry, 'values') as typeof values,
  );
}
