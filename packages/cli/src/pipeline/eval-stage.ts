import { cpus } from 'node:os';
import { basename } from 'node:path';
import {
  BenchmarkError,
  type BenchmarkQuestion,
  benchmarkPath,
  type EvalEvent,
  type EvalSettings,
  loadBenchmark,
  type RunEvalSummary,
  readBenchmarkFile,
  runEval,
} from '@autotraj/benchmarks';
import { createMathVerifyBackend } from '@autotraj/evaluator';
import type { Protocol, Shard } from '@autotraj/generation';
import {
  createFlashRagClient,
  createPythonPool,
  createPythonRuntime,
  createSearchRuntime,
  loadBm25Corpus,
} from '@autotraj/tools';
import type { ToolRuntime } from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';
import { type ModelFlags, resolveCliModel } from '../model-options.js';
import { resolveCliPrompt } from '../prompt-options.js';
import { modelRunSettings } from './run-settings.js';
import { resolveEvalStageOptions } from './stage-options.js';

export interface EvalStageOptions extends ModelFlags {
  /** Shipped benchmark names. */
  benchmarks?: ReadonlyArray<string>;
  /** Benchmark JSONL files (id, question, answer, kind per line); named by their base name. */
  benchmarkFiles?: ReadonlyArray<string>;
  outDir: string;
  limit?: number;
  n?: number;
  temperature?: number;
  seed?: number;
  maxToolCalls?: number;
  maxTokens?: number;
  protocol?: Protocol;
  concurrency?: number;
  /** BM25 corpus JSONL for the QA search tool. */
  corpus?: string;
  /** A FlashRAG retrieval server for the QA search tool. */
  searchUrl?: string;
  mathChecker?: 'builtin' | 'math-verify';
  /** The prompt template, by name or JSON file (default: the protocol's; cot-example with no tools). */
  prompt?: string;
  /** `default`: Python for math, search for QA; `none`: no tool (the chain-of-thought baseline). */
  tools?: 'default' | 'none';
  /** Run one shard of the questions, by `benchmark/questionId` (after `limit`). */
  shard?: Shard;
  /** Start afresh even if `outDir` holds an evaluation with other settings (moved aside first). */
  forceNew?: boolean;
  onProgress?: (event: EvalEvent) => void;
  signal?: AbortSignal;
}

function usage(message: string): CliError {
  return new CliError({ message, exitCode: 2 });
}

/** The questions of every named benchmark and file, as usage errors when a name or line is wrong. */
export function gatherQuestions(
  options: Pick<EvalStageOptions, 'benchmarks' | 'benchmarkFiles' | 'limit'>,
): {
  questions: BenchmarkQuestion[];
  sources: Record<string, string>;
} {
  const questions: BenchmarkQuestion[] = [];
  const sources: Record<string, string> = {};
  const limit = options.limit === undefined ? {} : { limit: options.limit };
  try {
    for (const name of options.benchmarks ?? []) {
      if (sources[name] !== undefined) continue;
      questions.push(...loadBenchmark(name, limit));
      sources[name] = `@autotraj/benchmarks/data/${basename(benchmarkPath(name))}`;
    }
    for (const file of options.benchmarkFiles ?? []) {
      const name = basename(file).replace(/\.jsonl$/, '');
      if (sources[name] !== undefined) throw usage(`two benchmarks are named "${name}"`);
      questions.push(...readBenchmarkFile(file, { benchmark: name, ...limit }));
      sources[name] = file;
    }
  } catch (error) {
    if (BenchmarkError.isInstance(error)) throw usage(error.message);
    throw error;
  }
  if (questions.length === 0) throw usage('give --benchmark <names> or --benchmark-file <jsonl>');
  return { questions, sources };
}

/**
 * `autotraj eval`: resolve the model, start the tools (Python for math, search for QA) and
 * run `runEval` with the paper's settings unless told otherwise.
 */
export async function runEvalStage(options: EvalStageOptions): Promise<RunEvalSummary> {
  const { questions, sources } = gatherQuestions(options);
  const needsQa = questions.some((q) => q.kind === 'qa');
  const needsMath = questions.some((q) => q.kind === 'math');
  const stage = resolveEvalStageOptions(options);
  const { withTools, protocol, n, temperature, maxTokens, concurrency } = stage;
  if (withTools && needsQa && options.corpus === undefined && options.searchUrl === undefined)
    throw usage(
      'QA benchmarks need a search tool: --corpus <jsonl> (local BM25) or --search-url <FlashRAG server>',
    );
  if (options.corpus !== undefined && options.searchUrl !== undefined)
    throw usage('give --corpus or --search-url, not both');
  // Markdown TIR has python blocks only; QA needs a search call the format cannot write.
  if (protocol === 'markdown' && needsQa)
    throw usage(
      '--protocol markdown runs ```python blocks only; QA benchmarks need search: use --protocol text-tags or native for them',
    );
  if (n > 1 && temperature === 0)
    throw usage(`--n ${n} needs --temperature > 0 (greedy samples are all the same)`);
  const prompt =
    options.prompt === undefined
      ? undefined
      : resolveCliPrompt(options.prompt, { kind: 'generation', protocol, flag: '--prompt' });
  const settings: EvalSettings = {
    protocol,
    n,
    temperature,
    seed: stage.seed,
    maxToolCalls: stage.maxToolCalls,
    maxTokens: maxTokens ?? null,
    tools: withTools ? { math: ['python'], qa: ['search'] } : { math: [], qa: [] },
    search:
      !needsQa || !withTools
        ? null
        : options.corpus !== undefined
          ? { kind: 'bm25', source: options.corpus }
          : { kind: 'flashrag', source: options.searchUrl! },
    mathChecker: stage.mathChecker,
  };
  let search: ToolRuntime;
  if (options.corpus !== undefined) {
    const index = await loadBm25Corpus(options.corpus).catch((cause: Error) => {
      throw usage(`cannot load --corpus ${options.corpus}: ${cause.message}`);
    });
    search = createSearchRuntime({ index });
  } else if (options.searchUrl !== undefined) {
    search = createSearchRuntime({ client: createFlashRagClient({ baseURL: options.searchUrl }) });
  } else {
    // Never offered: no QA benchmark runs. Kept so the tool names in the settings stay fixed.
    search = {
      name: 'search',
      run: async () => ({
        output: 'SearchError: no search tool configured',
        isError: true,
        durationMs: 0,
      }),
    };
  }
  // local: models re-use only whole aligned prompt chunks, so a score does not depend on which
  // questions a worker ran before (resume, shards, order).
  const resolved = await resolveCliModel(options);
  // What runEval cannot know itself: a local model file's hash, the cassette replayed.
  const runSettings = await modelRunSettings(options, { model: resolved.modelName }).catch(
    async (error: unknown) => {
      await resolved.close();
      throw error;
    },
  );
  const pool = createPythonPool({
    size: needsMath && withTools ? Math.max(1, Math.min(concurrency, cpus().length)) : 1,
  });
  const mathBackend =
    settings.mathChecker === 'math-verify' ? createMathVerifyBackend() : undefined;
  try {
    return await runEval({
      questions,
      sources,
      model: resolved.model,
      modelName: resolved.modelName,
      modelMode: resolved.mode,
      tools: withTools
        ? { math: [createPythonRuntime({ pool })], qa: [search] }
        : { math: [], qa: [] },
      settings,
      ...(prompt === undefined ? {} : { prompts: { math: prompt, qa: prompt } }),
      outDir: options.outDir,
      concurrency,
      ...(stage.retry === undefined ? {} : { retry: stage.retry }),
      ...(mathBackend === undefined ? {} : { mathBackend }),
      ...(options.shard === undefined ? {} : { shard: options.shard }),
      runSettings,
      forceNew: stage.forceNew,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    }).catch((error: unknown) => {
      if (BenchmarkError.isInstance(error)) throw usage(error.message);
      throw error;
    });
  } finally {
    await mathBackend?.close();
    await resolved.close();
    await pool.close();
  }
}
