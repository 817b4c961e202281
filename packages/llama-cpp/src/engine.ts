import { statSync } from 'node:fs';
import {
  type BatchItem,
  type EvaluationPriority,
  getLlama,
  InsufficientMemoryError,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaContextSequenceRepeatPenalty,
  LlamaLogLevel,
  type LlamaModel,
  type PrioritizedBatchItem,
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
  /**
   * Its place among the context's sequences: node-llama-cpp numbers them 0, 1, ... in the order
   * `getSequence` is called, and llama.cpp wants a batch's sequences in that order.
   */
  index: number;
  /** Leading cache tokens that were evaluated as whole aligned chunks (a multiple of the chunk). */
  alignedTokens: number;
  busy: boolean;
}

/**
 * Which tokens of the queued decodes go into the next batch, in which order: the sequences in
 * increasing order of their number, all their tokens while they fit. With one KV cache stream per
 * sequence (node-llama-cpp's contexts), llama.cpp puts into one ubatch, one pass over the
 * weights, only sequences with consecutive increasing numbers, and splits the rest off into
 * further ubatches; node-llama-cpp's own strategies keep the order the decodes were queued in,
 * which is whatever order the calls reached their next token (measured: 4 sequences came as
 * "3,2,1,0" in 9 of 24 decodes, 4 passes each). The place travels as `evaluationPriority`, the
 * one field of a queued decode a strategy sees (`Engine` sets it to the slot's index + 1).
 */
export function inSequenceOrder({
  items,
  size,
}: {
  items: readonly BatchItem[];
  size: number;
}): PrioritizedBatchItem[] {
  const ordered = [...items].sort((a, b) => a.evaluationPriority - b.evaluationPriority);
  const batch: PrioritizedBatchItem[] = [];
  let left = size;
  for (const item of ordered) {
    if (left === 0) break;
    const processAmount = Math.min(item.tokens.length, left);
    batch.push({ item, processAmount });
    left -= processAmount;
  }
  return batch;
}

/** What the decodes of a context of several sequences carried, summed since it was loaded. */
export interface BatchingStats {
  /** Native decodes (llama_decode calls). */
  decodes: number;
  /** Tokens they carried. */
  tokens: number;
  /** Decodes that carried tokens of two or more sequences. */
  sharedDecodes: number;
}

/**
 * The number of runs of consecutive busy slots there would be with `candidate` busy too: each
 * run is one ubatch per decode (see `inSequenceOrder`), so fewer runs is fewer passes.
 */
function busyRuns(slots: readonly Slot[], candidate: Slot): number {
  let runs = 0;
  let inRun = false;
  for (const slot of slots) {
    const busy = slot.busy || slot === candidate;
    if (busy && !inRun) runs++;
    inRun = busy;
  }
  return runs;
}

/**
 * Lines up the calls running on one context so that each of their decodes goes out in one
 * batch. node-llama-cpp decodes together only what is queued when it dispatches, and after a
 * batch it keeps decoding whatever got queued meanwhile. Left alone, the calls fall into taking
 * turns: while one call's token is decoded the other's next token is queued, so every decode
 * carried one token (measured: 94 decodes for 96 tokens of 2 sequences) and batching gained
 * nothing. Here each member waits, before its next decode (a prompt chunk or a token), until
 * every member has reached that point, and they queue together.
 */
export class StepGate {
  #members = 0;
  #waiting: Array<() => void> = [];

  /** A call starts using the context. */
  join(): void {
    this.#members++;
  }

  /** A call is done with the context: the others no longer wait for it. */
  leave(): void {
    this.#members--;
    this.#releaseIfAll();
  }

  /**
   * Resolves once every member has arrived; undefined (nothing to wait for) for a call alone,
   * so a lone call never pays an extra turn of the event loop.
   */
  arrive(): Promise<void> | undefined {
    if (this.#members <= 1 && this.#waiting.length === 0) return undefined;
    return new Promise<void>((resolve) => {
      this.#waiting.push(resolve);
      this.#releaseIfAll();
    });
  }

  #releaseIfAll(): void {
    if (this.#waiting.length === 0 || this.#waiting.length < this.#members) return;
    // Released in one go: their decodes are queued in the same turn, before node-llama-cpp's
    // dispatch (scheduled with setImmediate) runs.
    for (const resolve of this.#waiting.splice(0)) resolve();
  }
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
  /** With several sequences, what keeps their decodes in shared batches. */
  readonly #gate: StepGate | undefined;
  readonly #batching: BatchingStats | undefined;

  private constructor(
    llama: Llama,
    model: LlamaModel,
    context: LlamaContext,
    reusePrefix: boolean,
    chunk: number,
    batching: BatchingStats | undefined,
  ) {
    this.#llama = llama;
    this.#model = model;
    this.#context = context;
    this.#slots = Array.from({ length: context.totalSequences }, (_, index) => ({
      sequence: context.getSequence(),
      index,
      alignedTokens: 0,
      busy: false,
    }));
    this.#reusePrefix = reusePrefix;
    this.#chunk = chunk;
    this.#gate = this.#slots.length > 1 ? new StepGate() : undefined;
    this.#batching = batching;
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
    const batching: BatchingStats | undefined =
      sequences > 1 ? { decodes: 0, tokens: 0, sharedDecodes: 0 } : undefined;
    // node-llama-cpp asks the strategy once per decode, for what goes into it.
    const strategy = (options: { items: readonly BatchItem[]; size: number }) => {
      const batch = inSequenceOrder(options);
      if (batching !== undefined && batch.length > 0) {
        batching.decodes++;
        for (const { processAmount } of batch) batching.tokens += processAmount;
        if (batch.length > 1) batching.sharedDecodes++;
      }
      return batch;
    };
    let context: LlamaContext;
    try {
      context = await model.createContext({
        contextSize: init.contextSize,
        sequences,
        threads: init.threads,
        // Room for one chunk of every sequence in a batch: with several sequences the batch is
        // what they share (one sequence: exactly the chunk, as the alignment above needs).
        batchSize: chunk * sequences,
        // Several sequences: their decodes in sequence order, so a batch is one ubatch. One
        // sequence keeps node-llama-cpp's default, exactly as before.
        ...(sequences > 1 ? { batching: { itemPrioritizationStrategy: strategy } } : {}),
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
    const engine = new Engine(llama, model, context, init.reusePrefix, chunk, batching);
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

  /** What the decodes carried (several sequences only; a copy). */
  get batching(): BatchingStats | undefined {
    return this.#batching === undefined ? undefined : { ...this.#batching };
  }

  /** Calls that can run at once: one per sequence. */
  get sequences(): number {
    return this.#slots.length;
  }

  async generate(request: GenerateRequest, hooks: GenerateHooks = {}): Promise<GenerateResult> {
    const tokens = this.tokenize(request.prompt);
    const slot = this.#freeSlot(tokens);
    slot.busy = true;
    this.#gate?.join();
    try {
      return await this.#generate(slot, tokens, request, hooks);
    } finally {
      this.#gate?.leave();
      slot.busy = false;
    }
  }

  /**
   * The free sequence whose cache shares the most whole chunks with the prompt; among equals, the
   * one that keeps the busy sequences consecutive (fewer ubatches per decode: `busyRuns`).
   */
  #freeSlot(tokens: Token[]): Slot {
    let best: { slot: Slot; shared: number; runs: number } | undefined;
    for (const slot of this.#slots) {
      if (slot.busy) continue;
      // What `#generate` would re-use: whole chunks only (a few shared tokens save nothing).
      const shared = this.#reusePrefix
        ? Math.floor(
            Math.min(
              slot.sequence.compareContextTokens(tokens).firstDifferentIndex,
              slot.alignedTokens,
            ) / this.#chunk,
          )
        : 0;
      const runs = this.#slots.length > 1 ? busyRuns(this.#slots, slot) : 1;
      if (
        best === undefined ||
        shared > best.shared ||
        (shared === best.shared && runs < best.runs)
      )
        best = { slot, shared, runs };
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
    const gate = this.#gate;
    // The slot's place in a shared batch (see `inSequenceOrder`); a number beyond the type's 1-5
    // is fine: only that strategy reads it. One sequence: node-llama-cpp's default, as before.
    const evaluationPriority =
      gate === undefined ? undefined : ((slot.index + 1) as EvaluationPriority);
    const order = evaluationPriority === undefined ? {} : { evaluationPriority };
    for (let at = reused; at < alignedEnd && !hooks.isAborted?.(); at += chunk) {
      const lined = gate?.arrive();
      if (lined !== undefined) await lined;
      await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(at, at + chunk), order);
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
        ...order,
      });
      try {
        for (;;) {
          // Each next() decodes one token (the first: the prompt's rest); with several calls on
          // the context, they decode together.
          const lined = gate?.arrive();
          if (lined !== undefined) await lined;
          const step = await iterator.next();
          if (step.done) break;
          const token = step.value;
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
      } finally {
        // What for await does on leaving early: the sequence's evaluation lock is let go.
        await iterator.return(undefined);
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
