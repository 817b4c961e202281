import { statSync } from 'node:fs';
import {
  getLlama,
  InsufficientMemoryError,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaContextSequenceRepeatPenalty,
  LlamaLogLevel,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import { GgufFileError, LlamaCppError } from './errors.js';
import { evidenceLine, memoryFacts, outOfMemoryError, saysOutOfMemory } from './out-of-memory.js';
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

/** Prompt tokens per evaluation batch when the options do not say (see `Engine`). */
export const DEFAULT_PROMPT_CHUNK = 64;

/**
 * llama.cpp's last log lines in this process. Its load errors say only "Failed to load model";
 * the reason (e.g. `mmap failed: Cannot allocate memory`) is in the log line before it.
 */
const recentLogs: string[] = [];

function logLlamaCpp(_level: LlamaLogLevel, message: string): void {
  recentLogs.push(message);
  if (recentLogs.length > 20) recentLogs.shift();
  console.error(`[node-llama-cpp] ${message}`);
}

function takeLogs(): string {
  return recentLogs.splice(0).join('\n');
}

/**
 * llama.cpp's log lines reach JavaScript through a thread-safe callback, queued apart from the
 * failed call's rejection: on a loaded machine the reason can arrive after the error. Let the
 * queue drain before reading the lines a failure is explained by.
 */
async function takeLogsAfterFailure(): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return takeLogs();
}

/** One context sequence and what its cache holds. */
interface Slot {
  sequence: LlamaContextSequence;
  /** Leading cache tokens that were evaluated as whole aligned chunks (a multiple of the chunk). */
  alignedTokens: number;
  busy: boolean;
}

export interface GenerateHooks {
  onDelta?: (text: string) => void;
  isAborted?: () => boolean;
}

/**
 * One model with one context of `sequences` sequences, in this process. Each call takes a free
 * sequence; calls on different sequences run at once, and node-llama-cpp decodes their tokens
 * in shared batches.
 *
 * A prompt is always evaluated in batches of `chunk` tokens at positions that are multiples of
 * `chunk`, then the rest (at least its last token) in one batch. A cached chunk therefore holds
 * exactly the floats evaluating it again would give (the same tokens, positions, preceding cache
 * and batch shape), so with `reusePrefix` a call keeps the cached whole chunks its prompt shares
 * with the cache and evaluates only the rest, and its output is bit-identical to evaluating the
 * prompt whole: results do not depend on what the worker ran before. Generated tokens (evaluated
 * one at a time) are never re-used for that reason; a continued transcript re-reads them.
 *
 * With more than one sequence that guarantee is given up: a batch then mixes tokens of several
 * calls, and a batch of several sequences gives other floats than one sequence alone, so an
 * output depends on which calls ran beside it. That is the price of batched decoding's speed.
 */
export class Engine {
  readonly #llama: Llama;
  readonly #model: LlamaModel;
  readonly #context: LlamaContext;
  readonly #slots: Slot[];
  readonly #reusePrefix: boolean;
  readonly #chunk: number;

  private constructor(
    llama: Llama,
    model: LlamaModel,
    context: LlamaContext,
    reusePrefix: boolean,
    chunk: number,
  ) {
    this.#llama = llama;
    this.#model = model;
    this.#context = context;
    this.#slots = Array.from({ length: context.totalSequences }, () => ({
      sequence: context.getSequence(),
      alignedTokens: 0,
      busy: false,
    }));
    this.#reusePrefix = reusePrefix;
    this.#chunk = chunk;
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
        logger: logLlamaCpp,
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
    takeLogs();
    try {
      model = await llama.loadModel({ modelPath: init.modelPath, gpuLayers: 0 });
    } catch (cause) {
      const logs = await takeLogsAfterFailure();
      const said = `${describe(cause)}\n${logs}`;
      if (cause instanceof InsufficientMemoryError || saysOutOfMemory(said))
        throw outOfMemoryError({
          what: `the weights of ${init.modelPath} (${Math.round(statSync(init.modelPath).size / 2 ** 20)} MB)`,
          evidence: evidenceLine(said),
          facts: memoryFacts(),
          cause,
        });
      throw new GgufFileError({
        file: init.modelPath,
        code: 'model_file_invalid',
        detail: `llama.cpp could not load this GGUF file: ${(cause as Error).message}${
          logs === '' ? '' : ` (llama.cpp: ${logs.split('\n').join('; ')})`
        }`,
        cause,
      });
    }
    const t2 = performance.now();
    const chunk = init.batchSize ?? DEFAULT_PROMPT_CHUNK;
    const sequences = init.sequences ?? 1;
    let context: LlamaContext;
    try {
      context = await model.createContext({
        contextSize: init.contextSize,
        sequences,
        threads: init.threads,
        // Room for one chunk of every sequence in a batch: with several sequences the batch is
        // what they share (one sequence: exactly the chunk, as the alignment above needs).
        batchSize: chunk * sequences,
        // Keep the whole cache for sliding-window models (Gemma 3) so a cached prefix can be
        // re-used after the tail of the context is erased.
        swaFullCache: true,
        ...(init.lora === undefined
          ? {}
          : {
              lora: {
                adapters: init.lora.map((a) => ({ filePath: a.path, scale: a.scale ?? 1 })),
              },
            }),
      });
    } catch (cause) {
      const said = `${describe(cause)}\n${await takeLogsAfterFailure()}`;
      if (cause instanceof InsufficientMemoryError || saysOutOfMemory(said))
        throw outOfMemoryError({
          what: `a context of ${init.contextSize} tokens for ${init.modelPath}`,
          evidence: evidenceLine(said),
          facts: memoryFacts(),
          cause,
        });
      const adapters = init.lora?.map((a) => a.path).join(', ');
      if (adapters === undefined) throw cause;
      throw new GgufFileError({
        file: adapters,
        code: 'model_file_invalid',
        detail: `llama.cpp could not apply this LoRA adapter to ${init.modelPath} (is it a GGUF adapter trained from this base?): ${(cause as Error).message}`,
        cause,
      });
    }
    const t3 = performance.now();
    const engine = new Engine(llama, model, context, init.reusePrefix, chunk);
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

  /** Calls that can run at once: one per sequence. */
  get sequences(): number {
    return this.#slots.length;
  }

  async generate(request: GenerateRequest, hooks: GenerateHooks = {}): Promise<GenerateResult> {
    const tokens = this.tokenize(request.prompt);
    const slot = this.#freeSlot(tokens);
    slot.busy = true;
    try {
      return await this.#generate(slot, tokens, request, hooks);
    } finally {
      slot.busy = false;
    }
  }

  /** The free sequence whose cache shares the most whole chunks with the prompt. */
  #freeSlot(tokens: Token[]): Slot {
    let best: { slot: Slot; shared: number } | undefined;
    for (const slot of this.#slots) {
      if (slot.busy) continue;
      const shared = this.#reusePrefix
        ? Math.min(
            slot.sequence.compareContextTokens(tokens).firstDifferentIndex,
            slot.alignedTokens,
          )
        : 0;
      if (best === undefined || shared > best.shared) best = { slot, shared };
    }
    if (best === undefined)
      throw new Error(`Engine.generate called with all ${this.#slots.length} sequence(s) busy`);
    return best.slot;
  }

  async #generate(
    slot: Slot,
    tokens: Token[],
    request: GenerateRequest,
    hooks: GenerateHooks,
  ): Promise<GenerateResult> {
    const start = performance.now();
    const { settings } = request;
    const sequence = slot.sequence;
    const contextSize = sequence.contextSize;
    if (tokens.length >= contextSize)
      throw new LlamaCppError({
        code: 'context_overflow',
        message: `the prompt is ${tokens.length} tokens; the context holds ${contextSize} (raise contextSize)`,
      });

    // Whole chunks before the last prompt token (whose logits give the first output token, so it
    // is always evaluated); re-use only cached whole chunks that match. Without re-use the whole
    // context goes, so the prompt is evaluated as if the worker were new.
    const chunk = this.#chunk;
    const alignedEnd = Math.floor((tokens.length - 1) / chunk) * chunk;
    const reused = this.#reusePrefix
      ? Math.min(
          Math.floor(sequence.compareContextTokens(tokens).firstDifferentIndex / chunk) * chunk,
          slot.alignedTokens,
          alignedEnd,
        )
      : 0;
    if (reused < sequence.nextTokenIndex)
      await sequence.eraseContextTokenRanges([{ start: reused, end: sequence.nextTokenIndex }]);
    slot.alignedTokens = reused;
    for (let at = reused; at < alignedEnd && !hooks.isAborted?.(); at += chunk) {
      await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(at, at + chunk));
      slot.alignedTokens = at + chunk;
    }

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
      const iterator = sequence.evaluate(tokens.slice(slot.alignedTokens), {
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

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
