import { resolve } from 'node:path';
import {
  InvalidArgumentError,
  type LanguageModelV4,
  type LanguageModelV4CallOptions,
  type LanguageModelV4Content,
  type LanguageModelV4FinishReason,
  type LanguageModelV4GenerateResult,
  type LanguageModelV4StreamPart,
  type LanguageModelV4StreamResult,
  type LanguageModelV4ToolCall,
  type LanguageModelV4Usage,
  type SharedV4Warning,
} from '@ai-sdk/provider';
import {
  ChatTemplate,
  PLAIN_TRANSCRIPT_TEMPLATE,
  PLAIN_TRANSCRIPT_TURN_END,
} from './chat-template.js';
import { LlamaCppError } from './errors.js';
import { type GgufSummary, readGgufSummary } from './gguf-info.js';
import { checkModelOptions } from './model-options-check.js';
import { WorkerPool } from './pool.js';
import { toChatPrompt } from './prompt.js';
import type {
  GenerateRequest,
  GenerateResult,
  GenerateSettings,
  LoadInfo,
  LoraAdapter,
} from './protocol.js';
import { parseProviderOptions } from './provider-options.js';
import { type CompletionPiece, parseCompletion, ToolCallParser } from './tool-call-parser.js';
import { openingAfter, planTools, type ToolPlan } from './tool-plan.js';
import { TOOL_CALL_CLOSE, type ToolCallingSupport } from './tool-template.js';

export interface LlamaCppModelOptions {
  /** Path of the GGUF file. */
  modelPath: string;
  /** The id reported to the ai SDK; default: the file name. */
  modelId?: string;
  /**
   * Worker processes, each holding the model with its own context (default 1). On 2 cores two
   * 1-thread workers measured faster than one worker with 2 threads.
   */
  workers?: number;
  /**
   * Threads per worker (default 1: generation was fastest on 1 thread here). Outputs are
   * reproducible for a given thread count, not across counts: a prompt of several chunks
   * evaluated on 2 threads gave other floats than on 1 (greedy Qwen2.5-Coder-1.5B on the default
   * TIR prompt: 3 of 4 answers differed; worker count and prefix re-use changed none).
   */
  threads?: number;
  /** Context size in tokens per worker (default 4096). */
  contextSize?: number;
  /**
   * Prompt tokens per evaluation batch (default 64). Prompts are evaluated in batches of this
   * many at positions that are multiples of it, which is what lets a cached prefix be re-used
   * without changing any output (see `reusePrefix`).
   */
  batchSize?: number;
  /**
   * Calls each worker runs at once, as sequences of one context whose tokens are decoded in
   * shared batches, as llama.cpp's server does with parallel slots (default 1). It gives up
   * reproducibility (a batch of several sequences gives other floats than one sequence alone,
   * so a greedy output depends on which calls ran beside it). With Qwen2.5-Coder-1.5B (Q4_K) on
   * one CPU thread, 4 sequences generated 1.65x the tokens per CPU second of one, 2 sequences
   * 1.14x (llama.cpp's repacked Q4_K kernel takes 4 tokens at a time); SmolLM2's Q4_1 gained
   * nothing. Prefix re-use is per sequence, so a shared prompt prefix is evaluated once per
   * sequence: with short outputs that can cost more than batching saves (README: "Against
   * llama.cpp's own server").
   */
  sequences?: number;
  /**
   * Re-use the whole prompt chunks (`batchSize` tokens at aligned positions) that the worker's
   * cache already holds (default true). A cached chunk holds exactly the floats evaluating it
   * again would give, so an output never depends on what the worker ran before: a greedy eval
   * gives the same records forward, reversed, resumed or sharded. Measured on
   * Qwen2.5-Coder-1.5B with the default prompt: the shared worked example is read once per
   * worker instead of once per call. Generated tokens are not re-used (they were evaluated one at
   * a time), so a continued transcript re-reads them. `false` evaluates every prompt whole, with
   * the same outputs, for measuring what re-use saves.
   */
  reusePrefix?: boolean;
  /**
   * LoRA adapters (GGUF, e.g. from `autotraj train-sft`) applied on top of the model in every
   * worker. The base file must be the one the adapter was trained from.
   */
  lora?: ReadonlyArray<LoraAdapter>;
  /**
   * A Jinja chat template to use instead of the file's own. Files without one (base models)
   * get {@link PLAIN_TRANSCRIPT_TEMPLATE} unless this is set.
   */
  chatTemplate?: string;
}

/** What the model file is and how its workers loaded. */
export interface LlamaCppModelInfo {
  gguf: GgufSummary;
  /** `file`: the GGUF's own template; `option`: `chatTemplate`; `plain-transcript`: the fallback. */
  templateSource: 'file' | 'option' | 'plain-transcript';
  /**
   * Whether the template can carry native tool calls (the `tools` option): read from its text,
   * see `detectToolCalling`. Qwen2.5's templates can; SmolLM2's and the plain transcript cannot.
   */
  toolCalling: ToolCallingSupport;
  workers: LoadInfo[];
}

/** What a call renders and how its completion is read. */
interface PreparedCall {
  loaded: Loaded;
  request: GenerateRequest;
  warnings: SharedV4Warning[];
  plan: ToolPlan;
  /** Text written after the prompt as the start of the model's turn (a forced tool call). */
  opening: string;
}

const PROVIDER = 'llama-cpp';

interface Loaded {
  info: LlamaCppModelInfo;
  template: ChatTemplate;
  pool: WorkerPool;
}

/**
 * A GGUF model on the CPU as an ai SDK `LanguageModelV4`. A trailing assistant message is
 * continued in place. Call `close()` (or `await using`) to stop its worker processes.
 */
export class LlamaCppLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = PROVIDER;
  readonly modelId: string;
  readonly supportedUrls: Record<string, RegExp[]> = {};
  readonly #options: Required<
    Pick<LlamaCppModelOptions, 'workers' | 'threads' | 'contextSize' | 'reusePrefix'>
  > &
    LlamaCppModelOptions;
  #loaded: Promise<Loaded> | undefined;
  #closed = false;

  constructor(options: LlamaCppModelOptions) {
    // `new` is as public as createLlamaCppModel: the same check (once per model, not per call).
    checkModelOptions(options, 'new LlamaCppLanguageModel');
    const modelPath = resolve(options.modelPath);
    this.#options = {
      workers: 1,
      threads: 1,
      contextSize: 4096,
      reusePrefix: true,
      ...options,
      modelPath,
    };
    this.modelId = options.modelId ?? modelPath.split('/').at(-1) ?? modelPath;
  }

  /** Reads the file, starts the workers and waits until each has loaded the model. */
  async ready(): Promise<LlamaCppModelInfo> {
    return (await this.#load()).info;
  }

  /**
   * Renders an ai SDK prompt with the model's chat template: the exact text the model sees,
   * with `tools` and `toolChoice` as a call would render them.
   */
  async renderPrompt(
    prompt: LanguageModelV4CallOptions['prompt'],
    options: Pick<LanguageModelV4CallOptions, 'tools' | 'toolChoice'> = {},
  ): Promise<string> {
    return renderCall(await this.#load(), { ...options, prompt }, []).prompt;
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const { loaded, request, warnings, plan, opening } = await this.#prepare(options, false);
    const result = await loaded.pool.generate(request, {
      ...(options.abortSignal ? { signal: options.abortSignal } : {}),
    });
    let content: LanguageModelV4GenerateResult['content'];
    let problems: string[] = [];
    if (plan.toolNames.size === 0)
      content = result.text === '' ? [] : [{ type: 'text', text: result.text }];
    else {
      const parsed = parseCompletion(opening + result.text + closingTag(result), {
        toolNames: plan.toolNames,
      });
      content = parsed.pieces.map(toContent);
      problems = parsed.problems;
      warnings.push(...problems.map(problemWarning));
    }
    const called = content.some((part) => part.type === 'tool-call');
    return {
      content,
      finishReason: finishReason(result, called),
      usage: usage(result),
      providerMetadata: { llamaCpp: metadata(result, problems) },
      request: { body: { prompt: request.prompt, settings: request.settings } },
      response: { modelId: this.modelId, timestamp: new Date() },
      warnings,
    };
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const { loaded, request, warnings, plan, opening } = await this.#prepare(options, true);
    const modelId = this.modelId;
    const parser =
      plan.toolNames.size === 0 ? undefined : new ToolCallParser({ toolNames: plan.toolNames });
    // Cancelling the stream (the consumer stopped reading) stops the generation too.
    const cancelled = new AbortController();
    const signal = options.abortSignal
      ? AbortSignal.any([options.abortSignal, cancelled.signal])
      : cancelled.signal;
    let open = true;
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      start(controller) {
        const enqueue = (part: LanguageModelV4StreamPart) => {
          if (open) controller.enqueue(part);
        };
        const end = (error?: unknown) => {
          if (!open) return;
          open = false;
          if (error === undefined) controller.close();
          else controller.error(error);
        };
        enqueue({ type: 'stream-start', warnings });
        enqueue({ type: 'response-metadata', modelId, timestamp: new Date() });
        let texts = 0;
        let textId: string | undefined;
        let called = false;
        const emit = (pieces: CompletionPiece[]) => {
          for (const piece of pieces) {
            if (piece.type === 'text') {
              if (textId === undefined) {
                textId = `text-${texts++}`;
                enqueue({ type: 'text-start', id: textId });
              }
              enqueue({ type: 'text-delta', id: textId, delta: piece.text });
              continue;
            }
            if (textId !== undefined) enqueue({ type: 'text-end', id: textId });
            textId = undefined;
            called = true;
            // The whole call is known only once its block closes: its input goes in one delta.
            const id = piece.toolCallId;
            enqueue({ type: 'tool-input-start', id, toolName: piece.toolName });
            enqueue({ type: 'tool-input-delta', id, delta: piece.input });
            enqueue({ type: 'tool-input-end', id });
            enqueue(toolCallPart(piece));
          }
        };
        if (parser !== undefined && opening !== '') emit(parser.push(opening));
        loaded.pool
          .generate(request, {
            signal,
            onDelta: (delta) =>
              emit(parser === undefined ? [{ type: 'text', text: delta }] : parser.push(delta)),
          })
          .then(
            (result) => {
              let problems: string[] = [];
              if (parser !== undefined) {
                emit(parser.push(closingTag(result)));
                emit(parser.flush());
                problems = parser.problems;
                // Stream warnings travel in stream-start, sent before any text; the ai SDK keeps
                // that array and reads it when the step finishes, so later problems join it
                // (also in providerMetadata.llamaCpp.toolCallProblems).
                warnings.push(...problems.map(problemWarning));
              }
              if (textId !== undefined) enqueue({ type: 'text-end', id: textId });
              enqueue({
                type: 'finish',
                finishReason: finishReason(result, called),
                usage: usage(result),
                providerMetadata: { llamaCpp: metadata(result, problems) },
              });
              end();
            },
            (error) => {
              if (signal.aborted) end(error);
              else {
                enqueue({ type: 'error', error });
                end();
              }
            },
          );
      },
      cancel() {
        open = false;
        cancelled.abort();
      },
    });
    return { stream, request: { body: { prompt: request.prompt, settings: request.settings } } };
  }

  /** Stops the worker processes; later calls fail with a `model_closed` error. */
  async close(): Promise<void> {
    this.#closed = true;
    const loaded = this.#loaded;
    if (loaded === undefined) return;
    try {
      await (await loaded).pool.close();
    } catch {
      // The model never loaded: there is nothing to stop.
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #load(): Promise<Loaded> {
    this.#loaded ??= (async () => {
      const gguf = await readGgufSummary(this.#options.modelPath);
      const templateSource: LlamaCppModelInfo['templateSource'] =
        this.#options.chatTemplate !== undefined
          ? 'option'
          : gguf.chatTemplate !== undefined
            ? 'file'
            : 'plain-transcript';
      const template = new ChatTemplate({
        source: this.#options.chatTemplate ?? gguf.chatTemplate ?? PLAIN_TRANSCRIPT_TEMPLATE,
        origin:
          templateSource === 'file'
            ? `${gguf.file} (tokenizer.chat_template)`
            : templateSource === 'option'
              ? 'the chatTemplate option'
              : 'the plain-transcript template',
        ...(gguf.eosToken === undefined ? {} : { eosToken: gguf.eosToken }),
      });
      const pool = new WorkerPool({
        modelPath: gguf.file,
        workers: this.#options.workers,
        threads: this.#options.threads,
        contextSize: this.#options.contextSize,
        reusePrefix: this.#options.reusePrefix,
        ...(this.#options.batchSize === undefined ? {} : { batchSize: this.#options.batchSize }),
        ...(this.#options.sequences === undefined ? {} : { sequences: this.#options.sequences }),
        ...(this.#options.lora === undefined || this.#options.lora.length === 0
          ? {}
          : { lora: this.#options.lora.map((a) => ({ ...a, path: resolve(a.path) })) }),
      });
      try {
        const workers = await pool.ready();
        return {
          info: { gguf, templateSource, toolCalling: template.toolCalling, workers },
          template,
          pool,
        };
      } catch (error) {
        await pool.close();
        throw error;
      }
    })();
    return this.#loaded;
  }

  async #prepare(options: LanguageModelV4CallOptions, stream: boolean): Promise<PreparedCall> {
    const warnings: SharedV4Warning[] = [];
    if (options.responseFormat?.type === 'json')
      warnings.push({
        type: 'unsupported',
        feature: 'responseFormat',
        details: 'JSON output is not constrained; the text is returned as generated',
      });
    const settings = callSettings(options);
    if (this.#closed)
      throw new LlamaCppError({ code: 'model_closed', message: 'the local model was closed' });
    const loaded = await this.#load();
    const { prompt, plan, opening } = renderCall(loaded, options, warnings);
    const stops = [...(settings.stopSequences ?? [])];
    if (loaded.info.templateSource === 'plain-transcript') {
      warnings.push({
        type: 'other',
        message: `${loaded.info.gguf.file} has no chat template (a base model): the prompt is a plain "User:"/"Assistant:" transcript, and the turn ends at "\\nUser:"`,
      });
      if (!stops.includes(PLAIN_TRANSCRIPT_TURN_END)) stops.push(PLAIN_TRANSCRIPT_TURN_END);
    }
    // Generation ends with the first call: the model then waits for its result, not writes one.
    if (plan.toolNames.size > 0 && !stops.includes(TOOL_CALL_CLOSE)) stops.push(TOOL_CALL_CLOSE);
    if (stops.length > 0) settings.stopSequences = stops;
    const request: GenerateRequest = { prompt, settings, stream };
    return { loaded, request, warnings, plan, opening };
  }
}

/** The prompt text of a call, with its tools planned against the template. */
function renderCall(
  loaded: Loaded,
  options: Pick<LanguageModelV4CallOptions, 'prompt' | 'tools' | 'toolChoice'>,
  warnings: SharedV4Warning[],
): { prompt: string; plan: ToolPlan; opening: string } {
  const { template } = loaded;
  const plan = planTools({
    tools: options.tools,
    toolChoice: options.toolChoice,
    support: template.toolCalling,
    origin: template.origin,
    warnings,
  });
  const chat = toChatPrompt(options.prompt, { toolMessages: template.toolCalling.supported });
  const opening = openingAfter(chat.continuation, plan.forcedOpening);
  return { prompt: template.render(chat, { tools: plan.templateTools }) + opening, plan, opening };
}

/** The call's closing tag, when generation stopped at it (a stop sequence is not in the text). */
function closingTag(result: GenerateResult): string {
  return result.stopSequence === TOOL_CALL_CLOSE ? TOOL_CALL_CLOSE : '';
}

function toContent(piece: CompletionPiece): LanguageModelV4Content {
  return piece.type === 'text' ? { type: 'text', text: piece.text } : toolCallPart(piece);
}

/** A parsed call as the ai SDK's part; how the model wrote it goes in its provider metadata. */
function toolCallPart(piece: CompletionPiece & { type: 'tool-call' }): LanguageModelV4ToolCall {
  return {
    type: 'tool-call',
    toolCallId: piece.toolCallId,
    toolName: piece.toolName,
    input: piece.input,
    providerMetadata: { llamaCpp: { form: piece.form } },
  };
}

function problemWarning(problem: string): SharedV4Warning {
  return { type: 'other', message: `the model's ${problem}` };
}

function callSettings(options: LanguageModelV4CallOptions): GenerateSettings {
  const extra = parseProviderOptions(options.providerOptions);
  const settings: GenerateSettings = {};
  const number = (argument: string, value: number | undefined, ok: (v: number) => boolean) => {
    if (value === undefined) return undefined;
    if (!Number.isFinite(value) || !ok(value))
      throw new InvalidArgumentError({ argument, message: `${argument} out of range: ${value}` });
    return value;
  };
  const maxTokens = number(
    'maxOutputTokens',
    options.maxOutputTokens,
    (v) => Number.isInteger(v) && v >= 1,
  );
  const temperature = number('temperature', options.temperature, (v) => v >= 0);
  const topP = number('topP', options.topP, (v) => v > 0 && v <= 1);
  const topK = number('topK', options.topK, (v) => Number.isInteger(v) && v >= 0);
  const seed = number('seed', options.seed, (v) => Number.isInteger(v) && v >= 0);
  if (maxTokens !== undefined) settings.maxTokens = maxTokens;
  if (temperature !== undefined) settings.temperature = temperature;
  if (topP !== undefined) settings.topP = topP;
  if (topK !== undefined) settings.topK = topK;
  if (seed !== undefined) settings.seed = seed;
  if (extra.minP !== undefined) settings.minP = extra.minP;
  if (options.stopSequences !== undefined && options.stopSequences.length > 0)
    settings.stopSequences = options.stopSequences;
  const frequencyPenalty = options.frequencyPenalty ?? extra.repeatPenalty?.frequencyPenalty;
  const presencePenalty = options.presencePenalty ?? extra.repeatPenalty?.presencePenalty;
  if (
    extra.repeatPenalty !== undefined ||
    frequencyPenalty !== undefined ||
    presencePenalty !== undefined
  )
    settings.repeatPenalty = {
      ...extra.repeatPenalty,
      ...(frequencyPenalty === undefined ? {} : { frequencyPenalty }),
      ...(presencePenalty === undefined ? {} : { presencePenalty }),
    };
  return settings;
}

function finishReason(result: GenerateResult, called: boolean): LanguageModelV4FinishReason {
  if (called) return { unified: 'tool-calls', raw: result.finish };
  switch (result.finish) {
    case 'eos':
    case 'stop-sequence':
      return { unified: 'stop', raw: result.finish };
    case 'length':
    case 'context-full':
      return { unified: 'length', raw: result.finish };
    case 'aborted':
      return { unified: 'interrupted', raw: result.finish };
  }
}

function usage(result: GenerateResult): LanguageModelV4Usage {
  return {
    inputTokens: {
      total: result.promptTokens,
      noCache: result.evaluatedPromptTokens,
      cacheRead: result.reusedPromptTokens,
      cacheWrite: undefined,
    },
    outputTokens: { total: result.outputTokens, text: result.outputTokens, reasoning: undefined },
  };
}

function metadata(result: GenerateResult, toolCallProblems: string[]) {
  return {
    promptTokens: result.promptTokens,
    reusedPromptTokens: result.reusedPromptTokens,
    evaluatedPromptTokens: result.evaluatedPromptTokens,
    outputTokens: result.outputTokens,
    promptMs: result.promptMs,
    generationMs: result.generationMs,
    finish: result.finish,
    ...(result.stopSequence === undefined ? {} : { stopSequence: result.stopSequence }),
    ...(toolCallProblems.length === 0 ? {} : { toolCallProblems }),
    ...(result.workerDeaths ? { workerDeaths: result.workerDeaths } : {}),
  };
}

/** An ai SDK model over a GGUF file; see {@link LlamaCppModelOptions}. */
export function createLlamaCppModel(options: LlamaCppModelOptions): LlamaCppLanguageModel {
  return new LlamaCppLanguageModel(options);
}
