// Messages between the pool (parent process) and a model worker (child process).

/** Sampling and stopping settings of one generation. */
export interface GenerateSettings {
  /** Most tokens to generate; undefined: until EOS, a stop sequence or the context is full. */
  maxTokens?: number;
  /** 0 (the default) is greedy decoding. */
  temperature?: number;
  topP?: number;
  topK?: number;
  minP?: number;
  seed?: number;
  stopSequences?: string[];
  /** Off unless set: greedy stays greedy. */
  repeatPenalty?: RepeatPenalty;
}

/** llama.cpp's repeat penalty over the last tokens of the context (prompt and output). */
export interface RepeatPenalty {
  /** Multiplicative penalty on repeated tokens' logits; 1 is none. */
  penalty?: number;
  /** How many of the last tokens count; default 64. */
  lastTokens?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
}

export interface GenerateRequest {
  /** The full prompt text, special tokens written out (e.g. `<|im_start|>`). */
  prompt: string;
  settings: GenerateSettings;
  /** Send each released text piece as a `delta` message. */
  stream: boolean;
}

/** Why generation ended; `context-full` and `length` both map to the SDK's 'length'. */
export type FinishCause = 'eos' | 'stop-sequence' | 'length' | 'context-full' | 'aborted';

export interface GenerateResult {
  text: string;
  finish: FinishCause;
  /** The stop sequence that ended the text, when one did. */
  stopSequence?: string;
  /** Tokens of the prompt, BOS included. */
  promptTokens: number;
  /** Prompt tokens already in the worker's context from an earlier call (not evaluated again). */
  reusedPromptTokens: number;
  /** Prompt tokens evaluated by this call. */
  evaluatedPromptTokens: number;
  outputTokens: number;
  /** Milliseconds from the start of the call to the first output token (prompt processing). */
  promptMs: number;
  /** Milliseconds spent generating after the first token. */
  generationMs: number;
  /** Workers that died under this call before it ran to the end on another (set by the pool). */
  workerDeaths?: number;
}

export interface WorkerInit {
  modelPath: string;
  threads: number;
  contextSize: number;
  batchSize?: number;
  /**
   * Context sequences: calls the worker runs at once, decoded in shared batches (default 1; see
   * `LlamaCppModelOptions.sequences`).
   */
  sequences?: number;
  /** Keep the cached prefix of the previous call (see `LlamaCppModelOptions.reusePrefix`). */
  reusePrefix: boolean;
  /** LoRA adapters applied to the context (see `LlamaCppModelOptions.lora`). */
  lora?: ReadonlyArray<LoraAdapter>;
}

/** A LoRA adapter in GGUF (llama.cpp's `convert_lora_to_gguf.py` writes them). */
export interface LoraAdapter {
  /** Path of the adapter's GGUF file. */
  path: string;
  /** How strongly it applies (default 1). */
  scale?: number;
}

export interface LoadInfo {
  runtimeMs: number;
  modelMs: number;
  contextMs: number;
  /** Resident set size of the worker after loading, bytes. */
  rss: number;
  contextSize: number;
  buildType: string;
  gpu: string | false;
}

export type ParentMessage =
  | { type: 'init'; init: WorkerInit }
  | { type: 'generate'; id: number; request: GenerateRequest }
  | { type: 'abort'; id: number }
  | { type: 'close' };

export interface SerializedError {
  name: string;
  code?: string;
  message: string;
  file?: string;
}

export type WorkerMessage =
  | { type: 'ready'; info: LoadInfo }
  | { type: 'init-failed'; error: SerializedError }
  | { type: 'delta'; id: number; text: string }
  | { type: 'done'; id: number; result: GenerateResult }
  | { type: 'failed'; id: number; error: SerializedError };
