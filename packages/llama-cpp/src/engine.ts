import {
  getLlama,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaContextSequenceRepeatPenalty,
  LlamaLogLevel,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import { LlamaCppError, ModelFileError } from './errors.js';
import type {
  FinishCause,
  GenerateRequest,
  GenerateResult,
  LoadInfo,
  WorkerInit,
} from './protocol.js';
import { StopScanner } from './stop-scanner.js';

/** Prompt tokens handed to the detokenizer as context, so the first output word is spaced right. */
const DETOKENIZE_CONTEXT = 16;

export interface GenerateHooks {
  onDelta?: (text: string) => void;
  isAborted?: () => boolean;
}

/**
 * One model with one context sequence, in this process. Calls run one at a time; with
 * `reusePrefix` each call keeps the longest prefix of the previous context that matches its
 * prompt and evaluates only the rest, so continuing a growing transcript costs only its new
 * tokens; without it every prompt is evaluated whole.
 */
export class Engine {
  readonly #llama: Llama;
  readonly #model: LlamaModel;
  readonly #context: LlamaContext;
  readonly #sequence: LlamaContextSequence;
  readonly #reusePrefix: boolean;
  #busy = false;

  private constructor(
    llama: Llama,
    model: LlamaModel,
    context: LlamaContext,
    sequence: LlamaContextSequence,
    reusePrefix: boolean,
  ) {
    this.#llama = llama;
    this.#model = model;
    this.#context = context;
    this.#sequence = sequence;
    this.#reusePrefix = reusePrefix;
  }

  static async load(init: WorkerInit): Promise<{ engine: Engine; info: LoadInfo }> {
    const t0 = performance.now();
    let llama: Llama;
    try {
      // The prebuilt CPU binary only: never a GPU probe, a download or a compile at run time.
      llama = await getLlama({
        gpu: false,
        build: 'never',
        skipDownload: true,
        usePrebuiltBinaries: true,
        progressLogs: false,
        maxThreads: init.threads,
        logLevel: LlamaLogLevel.error,
      });
    } catch (cause) {
      throw new LlamaCppError({
        code: 'runtime_unavailable',
        message: `node-llama-cpp's prebuilt CPU binary did not load (is @node-llama-cpp/linux-x64 installed?): ${(cause as Error).message}`,
        cause,
      });
    }
    const t1 = performance.now();
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: init.modelPath, gpuLayers: 0 });
    } catch (cause) {
      throw new ModelFileError({
        file: init.modelPath,
        code: 'model_file_invalid',
        detail: `llama.cpp could not load this GGUF file: ${(cause as Error).message}`,
        cause,
      });
    }
    const t2 = performance.now();
    const context = await model.createContext({
      contextSize: init.contextSize,
      sequences: 1,
      threads: init.threads,
      ...(init.batchSize === undefined ? {} : { batchSize: init.batchSize }),
      // Keep the whole cache for sliding-window models (Gemma 3) so a cached prefix can be
      // re-used after the tail of the context is erased.
      swaFullCache: true,
    });
    const t3 = performance.now();
    const engine = new Engine(llama, model, context, context.getSequence(), init.reusePrefix);
    return {
      engine,
      info: {
        runtimeMs: t1 - t0,
        modelMs: t2 - t1,
        contextMs: t3 - t2,
        rss: process.memoryUsage().rss,
        contextSize: context.contextSize,
        buildType: llama.buildType,
        gpu: llama.gpu,
      },
    };
  }

  /** Tokens of a prompt: special-token text parsed, BOS prepended once if the file asks for it. */
  tokenize(prompt: string): Token[] {
    const tokens = this.#model.tokenize(prompt, true);
    const bos = this.#model.tokens.bos;
    if (this.#model.tokens.shouldPrependBosToken && bos !== null && tokens[0] !== bos)
      tokens.unshift(bos);
    return tokens;
  }

  async generate(request: GenerateRequest, hooks: GenerateHooks = {}): Promise<GenerateResult> {
    if (this.#busy) throw new Error('Engine.generate called while a generation is running');
    this.#busy = true;
    try {
      return await this.#generate(request, hooks);
    } finally {
      this.#busy = false;
    }
  }

  async #generate(request: GenerateRequest, hooks: GenerateHooks): Promise<GenerateResult> {
    const start = performance.now();
    const { settings } = request;
    const sequence = this.#sequence;
    const contextSize = sequence.contextSize;
    const tokens = this.tokenize(request.prompt);
    if (tokens.length >= contextSize)
      throw new LlamaCppError({
        code: 'context_overflow',
        message: `the prompt is ${tokens.length} tokens; the context holds ${contextSize} (raise contextSize)`,
      });

    // Re-use the matching prefix; at least the last prompt token is evaluated again, since its
    // logits give the first output token. Without re-use the whole context goes, so the prompt
    // is evaluated as if the worker were new.
    const reused = this.#reusePrefix
      ? Math.min(sequence.compareContextTokens(tokens).firstDifferentIndex, tokens.length - 1)
      : 0;
    if (reused < sequence.nextTokenIndex)
      await sequence.eraseContextTokenRanges([{ start: reused, end: sequence.nextTokenIndex }]);

    const room = contextSize - tokens.length;
    const limit = Math.min(settings.maxTokens ?? Number.POSITIVE_INFINITY, room);
    const scanner = new StopScanner(settings.stopSequences ?? []);
    const lastPromptTokens = tokens.slice(-DETOKENIZE_CONTEXT);
    const generated: Token[] = [];
    let finish: FinishCause = limit === room ? 'context-full' : 'length';
    let text = '';
    let firstTokenAt: number | undefined;
    // The output is exactly what was released, so streamed deltas always add up to it.
    const pieces: string[] = [];
    const release = (piece: string) => {
      if (piece === '') return;
      pieces.push(piece);
      if (request.stream) hooks.onDelta?.(piece);
    };

    if (limit > 0 && !hooks.isAborted?.()) {
      let ended = true;
      const penalty = settings.repeatPenalty;
      const repeatPenalty: LlamaContextSequenceRepeatPenalty | undefined =
        penalty === undefined
          ? undefined
          : {
              punishTokens: () => sequence.contextTokens.slice(-(penalty.lastTokens ?? 64)),
              maxPunishTokens: penalty.lastTokens ?? 64,
              penalty: penalty.penalty ?? 1,
              frequencyPenalty: penalty.frequencyPenalty ?? 0,
              presencePenalty: penalty.presencePenalty ?? 0,
            };
      const iterator = sequence.evaluate(tokens.slice(reused), {
        temperature: settings.temperature ?? 0,
        ...(settings.topK === undefined ? {} : { topK: settings.topK }),
        ...(settings.topP === undefined ? {} : { topP: settings.topP }),
        ...(settings.minP === undefined ? {} : { minP: settings.minP }),
        ...(settings.seed === undefined ? {} : { seed: settings.seed }),
        ...(repeatPenalty === undefined ? {} : { repeatPenalty }),
      });
      for await (const token of iterator) {
        firstTokenAt ??= performance.now();
        generated.push(token);
        text = this.#model.detokenize(generated, false, lastPromptTokens);
        // A multi-byte character split across tokens decodes to U+FFFD until it is complete.
        if (!text.endsWith('\uFFFD')) release(scanner.push(text));
        if (scanner.stopped !== undefined) {
          finish = 'stop-sequence';
          ended = false;
          break;
        }
        if (hooks.isAborted?.()) {
          finish = 'aborted';
          ended = false;
          break;
        }
        if (generated.length >= limit) {
          ended = false;
          break;
        }
      }
      // The iterator ends by itself only at an end-of-generation token.
      if (ended) finish = 'eos';
    } else if (hooks.isAborted?.()) finish = 'aborted';

    release(scanner.flush(text));
    const end = performance.now();
    return {
      text: pieces.join(''),
      finish,
      ...(scanner.stopped === undefined ? {} : { stopSequence: scanner.stopped }),
      promptTokens: tokens.length,
      reusedPromptTokens: reused,
      evaluatedPromptTokens: tokens.length - reused,
      outputTokens: generated.length,
      promptMs: (firstTokenAt ?? end) - start,
      generationMs: end - (firstTokenAt ?? end),
    };
  }

  async dispose(): Promise<void> {
    await this.#context.dispose();
    await this.#model.dispose();
    await this.#llama.dispose();
  }
}
