import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import {
  GenerationConfigError,
  type LocalModelSource,
  type ModelSpec,
  type ResolvedModel,
  resolveModel,
} from '@autotraj/generation';
import { type Command, Option } from 'commander';
import { CliError } from './cli-error.js';
import { integerOption } from './options.js';
import { withFlags } from './parameter-flags.js';

/**
 * `--base-url` stored as `baseURL` (commander would camel-case it to `baseURL`): the flags object
 * uses the library's one spelling, so it passes to library options as it is.
 */
export function urlOption(flags: string, description: string, attribute: string): Option {
  const option = new Option(flags, description);
  option.attributeName = () => attribute;
  return option;
}

/** The model flags every command that runs a model shares (and `--repair-*` for the repairer). */
export interface ModelFlags {
  model?: string;
  baseURL?: string;
  apiKey?: string;
  continuation?: string;
  chatTemplate?: string;
  replay?: string;
  record?: string;
  /** `local:` only: a LoRA adapter (GGUF) applied to the model. */
  lora?: string;
  /**
   * `local:` only: calls each worker decodes together in shared batches (its context's
   * sequences); 1 (the default) keeps every record independent of what ran beside it.
   */
  localBatch?: number;
}

export const MODEL_HELP =
  'openai:<id> | vllm:<id> | compatible:<id> (with --base-url) | local (the embedded default, local:qwen2.5-coder-1.5b) | local:<file.gguf> | local:smollm2 | local:gemma3';

/** The embedded default model, fetched by `./dev models` (`@autotraj/llama-cpp`'s DEFAULT_FETCHED_MODEL). */
export const DEFAULT_LOCAL_MODEL = 'local:qwen2.5-coder-1.5b';

/** `--model local` (or `local:`) is the embedded default model. */
export function normalizeModelFlag(model: string | undefined): string | undefined {
  return model === 'local' || model === 'local:' ? DEFAULT_LOCAL_MODEL : model;
}

/** Add `--model`, `--base-url`, `--api-key`, `--continuation`, `--chat-template`, `--replay`, `--record`. */
export function addModelOptions(command: Command): Command {
  return command
    .option('--model <provider:id>', MODEL_HELP)
    .addOption(
      urlOption(
        '--base-url <url>',
        'server for vllm: / compatible: (default: $AUTOTRAJ_BASE_URL)',
        'baseURL',
      ),
    )
    .option(
      '--api-key <key>',
      'API key (default: $AUTOTRAJ_API_KEY; $OPENAI_API_KEY for openai:; EMPTY for local servers)',
    )
    .option(
      '--continuation <mode>',
      'compatible: only: completions (default), prefill (llama.cpp server), vllm, none',
    )
    .option(
      '--chat-template <file>',
      'compatible: with completions: chatml (default), a tokenizer_config.json or a .jinja file',
    )
    .option('--replay <cassette>', 'answer from a recorded cassette instead of a live model')
    .option('--record <cassette>', 'record every live response to a cassette')
    .option(
      '--lora <adapter.gguf>',
      'local: only: apply a LoRA adapter (GGUF, e.g. from autotraj train-sft); its SHA-256 joins the model name in manifests and results',
    )
    .option(
      '--local-batch <n>',
      "local: only: calls each worker decodes together in one batch, like llama-server's parallel slots (default 1); a greedy output then depends on which calls ran beside it, so it joins the model name in manifests and results (4 is the useful value: with Qwen2.5-Coder-1.5B it generated 1.65x the tokens per CPU second of 1, but each sequence evaluates a shared prompt prefix anew; see @autotraj/llama-cpp's README)",
      integerOption('--local-batch'),
    );
}

/** The repairer's own model: `--repair-model`, `--repair-base-url`, `--repair-api-key`, `--repair-continuation`. */
export function addRepairModelOptions(command: Command): Command {
  return command
    .option(
      '--repair-model <provider:id>',
      `the repairer's model (default: the policy); ${MODEL_HELP}`,
    )
    .addOption(
      urlOption(
        '--repair-base-url <url>',
        "the repairer's server (default: --base-url)",
        'repairBaseURL',
      ),
    )
    .option('--repair-api-key <key>', "the repairer's API key (default: --api-key)")
    .option('--repair-continuation <mode>', "the repairer's continuation for compatible:");
}

export interface RepairModelFlags {
  repairModel?: string;
  repairBaseURL?: string;
  repairApiKey?: string;
  repairContinuation?: string;
}

function specOf(flags: ModelFlags, fallbackReplay: string | undefined): ModelSpec {
  return {
    ...(flags.model === undefined ? {} : { model: flags.model }),
    ...(flags.baseURL === undefined ? {} : { baseURL: flags.baseURL }),
    ...(flags.apiKey === undefined ? {} : { apiKey: flags.apiKey }),
    ...(flags.continuation === undefined ? {} : { continuation: flags.continuation }),
    ...(flags.chatTemplate === undefined ? {} : { chatTemplate: flags.chatTemplate }),
    ...(flags.replay === undefined ? {} : { replay: flags.replay }),
    ...(flags.record === undefined ? {} : { record: flags.record }),
    ...(fallbackReplay === undefined ? {} : { fallbackReplay }),
  };
}

/** Output tokens per call for `local:` models: a tiny model may not stop on its own. */
export const LOCAL_MAX_TOKENS = 512;
/** Call timeout for `local:` models: a CPU can take minutes per call (servers get 120 s). */
export const LOCAL_TIMEOUT_MS = 900_000;

/**
 * Worker processes for `local:` models: two 1-thread workers on 2 cores measured ~1.7x one
 * (SmolLM2; ../shared/notes/local-models.md); more than the cores only contend.
 */
const LOCAL_WORKERS = Math.max(1, Math.min(2, availableParallelism()));

/**
 * The generation defaults a model spec implies: `local:` models get a token cap, a long
 * timeout, and as many calls at once as they have workers (more only queue in the pool). Their
 * empty completions are not retried: with no server load behind them, an empty completion (the
 * turn ended at once) is the model's answer, and greedy gives the same one on every retry.
 */
export function localDefaults(
  model: string | undefined,
  localBatch = 1,
): {
  maxTokens: number | undefined;
  retry: { timeoutMs: number; retryEmpty: boolean } | undefined;
  concurrency: number | undefined;
} {
  const local = normalizeModelFlag(model)?.startsWith('local:') === true;
  return {
    maxTokens: local ? LOCAL_MAX_TOKENS : undefined,
    retry: local ? { timeoutMs: LOCAL_TIMEOUT_MS, retryEmpty: false } : undefined,
    concurrency: local ? LOCAL_WORKERS * localBatch : undefined,
  };
}

const LLAMA_CPP: string = '@autotraj/llama-cpp';

/** What the CLI uses of `@autotraj/llama-cpp`. */
export interface LlamaCppModule {
  isFetchedModelName(name: string): boolean;
  fetchedModelPath(name: string): string;
  verifiedFetchedModelPath(name: string): Promise<string>;
  llamaCppSource(): Promise<string>;
  readGgufSummary(file: string): Promise<unknown>;
  createLlamaCppModel(options: {
    modelPath: string;
    modelId?: string;
    workers?: number;
    sequences?: number;
    lora?: ReadonlyArray<{ path: string }>;
  }): LanguageModelV4 & {
    close(): Promise<void>;
  };
}

/**
 * The optional `@autotraj/llama-cpp` package, loaded only when asked for; `what` says what needs
 * it in the error when it cannot be loaded (`local:smollm2 runs`).
 */
export async function importLlamaCpp(what: string): Promise<LlamaCppModule> {
  try {
    // A variable specifier keeps the optional package out of this one's type graph and build.
    return (await import(LLAMA_CPP)) as LlamaCppModule;
  } catch (cause) {
    throw new GenerationConfigError({
      message: `${what} on the optional package @autotraj/llama-cpp, which cannot be loaded (npm install @autotraj/llama-cpp): ${(cause as Error).message}`,
      cause,
    });
  }
}

/**
 * `local:<file.gguf>` / `local:smollm2` / `local:gemma3` through the optional
 * `@autotraj/llama-cpp` package, loaded only when asked for.
 */
async function localSource(
  model: string,
  lora: string | undefined,
  localBatch: number | undefined,
): Promise<LocalModelSource> {
  const llama = await importLlamaCpp(`${model} runs`);
  const name = model.slice('local:'.length);
  // A fetched model is checked against its pinned SHA-256 (hashed once, then stamped); any file
  // missing, corrupted or truncated is named now, before any task starts (the model itself
  // loads on its first call).
  const modelPath = llama.isFetchedModelName(name)
    ? await llama.verifiedFetchedModelPath(name)
    : name;
  await llama.readGgufSummary(modelPath);
  if (lora !== undefined) await llama.readGgufSummary(lora);
  const loaded: Array<{ close(): Promise<void> }> = [];
  return {
    provider: {
      specificationVersion: 'v4',
      languageModel: (id) => {
        const path = id === name ? modelPath : id;
        const created = llama.createLlamaCppModel({
          modelPath: path,
          modelId: model,
          workers: LOCAL_WORKERS,
          ...(localBatch === undefined ? {} : { sequences: localBatch }),
          ...(lora === undefined ? {} : { lora: [{ path: lora }] }),
        });
        loaded.push(created);
        return created;
      },
      embeddingModel: () => {
        throw new GenerationConfigError({ message: 'local: models make text only' });
      },
      imageModel: () => {
        throw new GenerationConfigError({ message: 'local: models make text only' });
      },
    },
    close: async () => {
      await Promise.all(loaded.map((model) => model.close()));
    },
  };
}

/** A LoRA adapter file's name and `sha256:<16 hex>`, or a usage error when it cannot be read. */
async function loraIdentity(path: string): Promise<{ path: string; name: string; digest: string }> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (cause) {
    throw new CliError({
      message: `--lora ${path}: cannot read the adapter (${(cause as Error).message})`,
      exitCode: 2,
      cause,
    });
  }
  return { path, name: basename(path), digest: `sha256:${hash.digest('hex').slice(0, 16)}` };
}

/** Resolve CLI model flags (one vocabulary for every command), as usage errors when wrong. */
export async function resolveCliModel(
  flags: ModelFlags,
  options: {
    fallbackReplay?: string;
    env?: Record<string, string | undefined>;
  } = {},
): Promise<ResolvedModel> {
  const model = normalizeModelFlag(flags.model);
  flags = { ...flags };
  if (model === undefined) delete flags.model;
  else flags.model = model;
  try {
    const isLocal = flags.model?.startsWith('local:') === true;
    if (flags.lora !== undefined && (!isLocal || flags.replay !== undefined))
      throw new CliError({
        message: '--lora applies to a live local:<model> only (llama.cpp applies the adapter)',
        exitCode: 2,
      });
    if (flags.localBatch !== undefined && (!isLocal || flags.replay !== undefined))
      throw new CliError({
        message: '--local-batch applies to a live local:<model> only',
        exitCode: 2,
      });
    const adapter = flags.lora === undefined ? undefined : await loraIdentity(flags.lora);
    const local =
      flags.model !== undefined && isLocal
        ? await localSource(flags.model, adapter?.path, flags.localBatch)
        : undefined;
    const resolved = await resolveModel(specOf(flags, options.fallbackReplay), {
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(local === undefined ? {} : { local }),
    });
    // The adapter is part of the model: manifests and results name it with its hash, and a
    // resumed run with another adapter is refused like one with another model. So is batched
    // decoding: its greedy outputs are not the unbatched ones.
    let modelName = resolved.modelName;
    if (adapter !== undefined) modelName += `+lora:${adapter.name}@${adapter.digest}`;
    if (flags.localBatch !== undefined && flags.localBatch > 1)
      modelName += `+batch:${flags.localBatch}`;
    return modelName === resolved.modelName ? resolved : { ...resolved, modelName };
  } catch (cause) {
    if (!GenerationConfigError.isInstance(cause)) throw cause;
    throw new CliError({ message: withFlags(cause.message), exitCode: 2, cause });
  }
}

/** The repairer's model: `--repair-*` flags, falling back to the policy's settings. */
export async function resolveRepairModel(
  flags: ModelFlags & RepairModelFlags,
  policy: ResolvedModel,
  options: { env?: Record<string, string | undefined> } = {},
): Promise<ResolvedModel> {
  if (
    flags.repairModel === undefined &&
    flags.repairBaseURL === undefined &&
    flags.repairApiKey === undefined &&
    flags.repairContinuation === undefined
  )
    return { ...policy, close: async () => undefined };
  if (flags.repairModel === undefined)
    throw new CliError({
      message: '--repair-base-url/--repair-* need --repair-model',
      exitCode: 2,
    });
  if (flags.replay !== undefined || policy.mode !== 'live')
    throw new CliError({
      message:
        '--repair-model needs a live policy model (a cassette replays both policy and repairer)',
      exitCode: 2,
    });
  const baseURL = flags.repairBaseURL ?? flags.baseURL;
  const apiKey = flags.repairApiKey ?? flags.apiKey;
  return resolveCliModel(
    {
      model: flags.repairModel,
      ...(baseURL === undefined ? {} : { baseURL }),
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(flags.repairContinuation === undefined ? {} : { continuation: flags.repairContinuation }),
    },
    options,
  );
}

const MODEL_FLAGS = [
  'model',
  'baseURL',
  'apiKey',
  'continuation',
  'chatTemplate',
  'replay',
  'record',
  'lora',
  'localBatch',
  'repairModel',
  'repairBaseURL',
  'repairApiKey',
  'repairContinuation',
] as const;

/** The model flags that were given (exact optional properties: absent, not undefined). */
export function modelFlagsOf(flags: ModelFlags & RepairModelFlags): ModelFlags & RepairModelFlags {
  const out: ModelFlags & RepairModelFlags = {};
  const into = out as Record<string, unknown>;
  for (const key of MODEL_FLAGS) if (flags[key] !== undefined) into[key] = flags[key];
  return out;
}
