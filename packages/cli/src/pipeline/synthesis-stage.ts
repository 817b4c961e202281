import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createEvaluator, type PresetName } from '@autotraj/evaluator';
import { isInShard, type Protocol, readTasksJsonl, type Shard } from '@autotraj/generation';
import {
  type AdmissionMode,
  createRepairer,
  demoFixtures,
  type RepairStrategy,
  type SynthesisEvent,
  type SynthesisSummary,
  synthesize,
} from '@autotraj/repairer';
import { createCalculatorRuntime, createPythonPool, createPythonRuntime } from '@autotraj/tools';
import { promptRef, RUN_DEFAULTS, type RunSettings } from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';
import {
  type ModelFlags,
  type RepairModelFlags,
  resolveCliModel,
  resolveRepairModel,
} from '../model-options.js';
import { resolveCliPrompt } from '../prompt-options.js';
import { fileDigest, modelRunSettings } from './run-settings.js';
import { resolveSynthesisStageOptions } from './stage-options.js';

/** Model flags as the CLI spells them (`model`, `baseURL`, `replay`, `record`, `repairModel`, ...). */
export interface SynthesisStageOptions extends ModelFlags, RepairModelFlags {
  /** Tasks JSONL (AutoTraj tasks or GSM8K lines); default: the demo problems. */
  tasks?: string;
  outDir: string;
  /** Candidates per task (default `CLI_CANDIDATES`, 4: the demo cassette's). */
  n?: number;
  /** Trajectories generated at once (default 8). */
  concurrency?: number;
  limit?: number;
  protocol?: Protocol;
  strategy?: RepairStrategy;
  maxAttempts?: number;
  maxToolCalls?: number;
  temperature?: number;
  /** Output tokens per model call (default: the server's; 512 for local: models, which may not stop). */
  maxTokens?: number;
  preset?: PresetName;
  /** The policy's prompt template, by name or JSON file (default: the protocol's). */
  prompt?: string;
  /** The repairer's prompt template, by name or JSON file (default for text tags: repair-question). */
  repairPrompt?: string;
  /** What may enter the SFT set and pairs (default `well-formed`; `none`: raw output). */
  admission?: AdmissionMode;
  /** Send kept candidates the admission gate refuses to the repairer (`synthesize`'s `repairRefused`). */
  repairRefused?: boolean;
  /**
   * Take each task's candidates from an earlier synthesis (its directory or `candidates.jsonl`)
   * instead of sampling them (`synthesize`'s `candidates.from`): the model only repairs.
   */
  candidatesFrom?: string;
  /** Run one shard of the tasks (after `limit`: the shards of a limited run partition its tasks). */
  shard?: Shard;
  /** Start afresh in `outDir` even if it holds a run with other settings (moved aside first). */
  forceNew?: boolean;
  onProgress?: (event: SynthesisEvent) => void;
  /** Things worth telling the user before the work starts (offline replay, ...). */
  onNotice?: (message: string) => void;
}

/** Tasks in one shard, for progress: the ids decide, so the file is read (and parsed) once up front. */
async function countShard(path: string, limit: number | undefined, shard: Shard): Promise<number> {
  let count = 0;
  const seen = new Set<string>();
  for await (const task of readTasksJsonl(path, limit === undefined ? {} : { limit })) {
    if (seen.has(task.id)) continue;
    seen.add(task.id);
    if (isInShard(task.id, shard)) count++;
  }
  return count;
}

function countLines(path: string, limit: number | undefined): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new CliError({
      message: `cannot read tasks file ${path}: ${(cause as Error).message}`,
      cause,
    });
  }
  const lines = text.split('\n').filter((line) => line.trim() !== '').length;
  return limit === undefined ? lines : Math.min(lines, limit);
}

/**
 * The synthesis stage: resolve the policy (live, recorded or the demo cassette), start the tool
 * runtimes and run `synthesize()` over the tasks file. Failed tasks are in the summary, not
 * thrown: the caller decides (a rerun retries them).
 */
export async function runSynthesisStage(options: SynthesisStageOptions): Promise<SynthesisSummary> {
  const stage = resolveSynthesisStageOptions(options);
  const { n, concurrency, protocol, maxToolCalls, temperature, preset, maxTokens } = stage;
  const { retry, repairRetry, tasks: tasksPath } = stage;
  // Resolved before any model loads: a wrong name fails in milliseconds, not after a model load.
  const prompt = resolveCliPrompt(options.prompt, {
    kind: 'generation',
    protocol,
    flag: '--prompt',
  });
  const repairPrompt = resolveCliPrompt(options.repairPrompt, {
    kind: 'repair',
    protocol,
    flag: '--repair-prompt',
  });
  if (options.repairModel !== undefined && options.record !== undefined)
    throw new CliError({
      message: '--record records one model; it cannot be combined with --repair-model',
      exitCode: 2,
    });
  // With no model at all, the demo cassette answers.
  const resolved = await resolveCliModel(options, { fallbackReplay: demoFixtures.cassettePath });
  const repairModel = await resolveRepairModel(options, resolved).catch(async (error) => {
    await resolved.close();
    throw error;
  });
  if (resolved.mode === 'demo-replay') {
    options.onNotice?.(
      `offline: replaying the demo cassette ${demoFixtures.cassettePath} (authored fixtures, not a real model); pass --model or --base-url for a live model`,
    );
    if (n > demoFixtures.n)
      options.onNotice?.(
        `the demo cassette holds ${demoFixtures.n} candidates per task; --n ${n} will fail on the missing ones`,
      );
  }
  let total: number;
  let settings: RunSettings;
  try {
    total = countLines(tasksPath, options.limit);
    if (options.shard !== undefined)
      total = await countShard(tasksPath, options.limit, options.shard);
    // What synthesize cannot know itself: the model files' hashes and the task set. `--limit`
    // is not a setting: a run may grow (or stop early) and stay the same run.
    settings = {
      ...(await modelRunSettings(options, {
        model: resolved.modelName,
        repairModel: repairModel.modelName,
      })),
      tasks: await fileDigest(tasksPath, '--tasks'),
    };
  } catch (error) {
    await repairModel.close();
    await resolved.close();
    throw error;
  }
  const pool = createPythonPool({ size: Math.max(1, Math.min(concurrency, cpus().length)) });
  const tools = [createPythonRuntime({ pool }), createCalculatorRuntime()];
  const evaluator = createEvaluator({ preset });
  try {
    const repairer = createRepairer({
      model: repairModel.model,
      tools,
      evaluator,
      strategy: stage.strategy,
      maxAttempts: stage.maxAttempts,
      protocol,
      maxToolCalls,
      prompt: repairPrompt,
      modelName: repairModel.modelName,
      ...(repairRetry === undefined ? {} : { retry: repairRetry }),
      // Greedy, as the paper's repairer (Qwen2.5-32B-Instruct) runs.
      ...(maxTokens === undefined
        ? {}
        : {
            sampling: { temperature: RUN_DEFAULTS.repairTemperature, maxOutputTokens: maxTokens },
          }),
    });
    return await synthesize({
      tasks: readTasksJsonl(tasksPath, options.limit === undefined ? {} : { limit: options.limit }),
      total,
      policy: {
        model: resolved.model,
        tools,
        protocol,
        maxToolCalls,
        prompt,
        sampling: {
          temperature,
          ...(maxTokens === undefined ? {} : { maxOutputTokens: maxTokens }),
        },
        modelName: resolved.modelName,
        ...(retry === undefined ? {} : { retry }),
      },
      repairer,
      evaluator,
      n,
      outDir: options.outDir,
      concurrency,
      ...(options.admission === undefined ? {} : { admission: options.admission }),
      ...(options.repairRefused === true ? { repairRefused: true } : {}),
      ...(options.shard === undefined ? {} : { shard: options.shard }),
      ...(options.candidatesFrom === undefined
        ? {}
        : { candidates: { from: options.candidatesFrom } }),
      settings,
      forceNew: stage.forceNew,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      config: {
        tasks: tasksPath,
        preset,
        modelMode: resolved.mode,
        model: resolved.modelName,
        continuation: resolved.continuation,
        repairModel: repairModel.modelName,
        repairContinuation: repairModel.continuation,
        repairPrompt: promptRef(repairPrompt),
        ...(options.replay ? { replay: options.replay } : {}),
      },
    });
  } finally {
    await repairModel.close();
    await resolved.close();
    await pool.close();
  }
}
