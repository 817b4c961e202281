import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  CassetteMissError,
  createLimiter,
  formatShard,
  isInShard,
  type Limiter,
  type ModelLike,
  type Protocol,
  type RetryOptions,
  type Shard,
} from '@autotraj/generation';
import {
  claimShardDir,
  createTagCodec,
  type Evaluator,
  OutputWriteError,
  openRunDir,
  type PromptTemplate,
  promptRef,
  RUN_FILES,
  type RunSettings,
  readRunSettings,
  SAMPLE_SEED_DERIVATION,
  type Sampling,
  type SynthesisManifest,
  type Task,
  type TaskSetDigest,
  type ToolRuntime,
  taskSetDigest,
} from '@autotraj/trajectory';
import { packageVersion, toolTagTable } from '@autotraj/trajectory/internal';
import type { Repairer } from '../repair/repairer.js';
import type { AdmissionMode } from './admission.js';
import {
  assertCandidatesCover,
  type CandidateSource,
  type CandidatesOption,
  readCandidateSource,
} from './candidate-source.js';
import { runTask, type TaskContext } from './run-task.js';
import { openSynthesisStore, type SynthesisCounts } from './store.js';
import { synthesisRunSettings, synthesisSettingsFromManifest } from './synthesis-settings.js';
import { resolveSynthesizeOptions } from './synthesize-options.js';

export type { SynthesisCounts } from './store.js';

export interface SynthesisPolicy {
  model: ModelLike;
  tools: ReadonlyArray<ToolRuntime>;
  protocol?: Protocol;
  maxToolCalls?: number;
  /**
   * Candidate sampling (default temperature 0.3, the paper's). `seed` (default 0) is the run's:
   * candidate i of a task gets `sampleSeed({ runSeed: seed, taskId, index: i })`.
   */
  sampling?: Sampling;
  /** The policy's prompt template (default: the protocol's, `tags-example` for text-tags). */
  prompt?: PromptTemplate;
  /** A system turn of your own instead of the template (the user turn is then the question). */
  instructions?: string;
  retry?: RetryOptions;
  modelName?: string;
}

/** What a run that takes its candidates (`candidates.from`) read, as its `start` event reports it. */
export interface TakenCandidatesInfo {
  /** The candidates file (absolute). */
  file: string;
  records: number;
  tasks: number;
  /** Bytes after the file's last newline, not read (a line its writer is still writing). */
  unreadTailBytes: number;
}

export type SynthesisEvent =
  | {
      type: 'start';
      total: number | null;
      resumed: number;
      outDir: string;
      /** Set when the candidates are taken from a file, not sampled. */
      candidates?: TakenCandidatesInfo;
    }
  | { type: 'candidate'; taskId: string; index: number }
  | { type: 'repair'; taskId: string; candidateId: string; status: 'accepted' | 'hard' }
  | {
      type: 'task-done';
      taskId: string;
      done: number;
      failed: number;
      total: number | null;
      counts: SynthesisCounts;
    }
  | {
      type: 'task-failed';
      taskId: string;
      reason: string;
      done: number;
      failed: number;
      total: number | null;
    }
  | { type: 'retry'; reason: string; attempt: number; delayMs: number }
  | { type: 'finish'; summary: SynthesisSummary };

/** Which tasks a run directory covers, so shards can be joined and checked (`autotraj merge`). */
export interface SynthesisCoverage {
  /** Every task of the run (after the caller's limit, before sharding): ids, and ids with content. */
  run: TaskSetDigest & { contentDigest: string };
  /** The tasks of this shard (the whole run when unsharded). */
  assigned: TaskSetDigest;
  /** The tasks this directory holds results for (journal), earlier runs included. */
  done: TaskSetDigest;
}

export interface SynthesisSummary {
  outDir: string;
  /** The shard this directory covers, or null for a whole run. */
  shard: (Shard & { spec: string }) | null;
  coverage: SynthesisCoverage;
  counts: SynthesisCounts;
  /** The admission gate the run wrote its SFT records and pairs through. */
  admission: AdmissionMode;
  /** Tasks done in this run, tasks already done by an earlier run, tasks that failed (retried on rerun). */
  run: {
    done: number;
    resumed: number;
    failed: number;
    failures: Array<{ taskId: string; reason: string }>;
  };
  timings: {
    wallMs: number;
    trajectories: number;
    modelCalls: number;
    trajectoriesPerSecond: number;
    modelCallsPerSecond: number;
    toolMsPerTrajectory: number;
    evaluationMsPerTrajectory: number;
    /** Mean wall time of one model call as the pipeline saw it (latency + transport + queueing). */
    modelMsPerCall: number;
  };
}

export interface SynthesizeOptions {
  tasks: Iterable<Task> | AsyncIterable<Task>;
  policy: SynthesisPolicy;
  repairer: Repairer;
  evaluator: Evaluator;
  /** Candidates per task (default 2, the paper's). */
  n?: number;
  outDir: string;
  /** Trajectories (candidates and repairs) generated at once, across all tasks (default 8). */
  concurrency?: number;
  /** Share a limiter with other work (e.g. RL rollouts on the same endpoint); overrides `concurrency` for generation. */
  limiter?: Limiter;
  /** Number of tasks, when known, for progress. */
  total?: number;
  onProgress?: (event: SynthesisEvent) => void;
  /**
   * Stops the run: in-flight tasks are aborted (not recorded; a rerun redoes them), every file
   * is closed, and the promise rejects with the signal's reason.
   */
  signal?: AbortSignal;
  /** Extra configuration recorded in the manifest (model flags, source file, ...). */
  config?: Record<string, unknown>;
  /**
   * Settings of the caller's that make a rerun the same run, beside the ones synthesis knows
   * (model, repair model, prompt, preset, sampling, n, tools, tool budget, ...): a model file's
   * hash, the task set. They are recorded in `settings.json` before any work; resuming the
   * directory with any setting different throws `RunSettingsMismatchError` (from
   * `@autotraj/trajectory`) naming each, and nothing in it changes. A second process on the
   * same directory gets `RunLockedError`.
   */
  settings?: RunSettings;
  /**
   * Start afresh even if `outDir` holds a run with other settings: the earlier run is moved to
   * a sibling `<outDir>.replaced-<time>` first. Default false.
   */
  forceNew?: boolean;
  /**
   * Run only the tasks whose id hashes into this shard (`parseShard`); the others are read (for
   * the run's task digest) and skipped. The directory remembers its shard: resuming it as
   * another throws `ShardMismatchError`. A caller's limit applies first, so the shards of a
   * limited run partition exactly its tasks.
   */
  shard?: Shard;
  /**
   * What may enter `sft.jsonl` and `pairs.jsonl`: `well-formed` (default) admits only records
   * that pass `checkAdmission` (the paper's `validate_format`, `<think>` first, one boxed
   * `<answer>`, no prompt meta-text, not cut by the token limit); the rest go to
   * `dropped.jsonl` with their reasons and are counted (`counts.droppedSft`, `droppedPairs`,
   * `droppedByReason`). `none`: every kept trajectory and accepted repair, as the paper writes
   * them. The keep / repair / accept decisions are the same either way.
   */
  admission?: AdmissionMode;
  /**
   * Send kept candidates the admission gate refuses (a right answer boxed as `10.0`, a slip in
   * the reasoning's arithmetic, a failed call answered past) to the repairer too, instead of
   * only dropping them (default false, as the paper). The refused record still goes to
   * `dropped.jsonl`; the repairer sees the original as worth nothing to train on (quality 0, the
   * gate's reasons as `admission/<code>` diagnostics), and an accepted repair enters `sft.jsonl`
   * with a pair whose `source` is `admission`. Counted in `counts.refusedKeptRepairs` and
   * `refusedKeptRepaired`. Needs admission `well-formed`; a setting of the run.
   */
  repairRefused?: boolean;
  /**
   * Take each task's candidates from an earlier run instead of sampling them: `from` is a
   * `candidates.jsonl` or a synthesis directory. Candidates 0..n-1 of task T are its records with
   * `taskId` T; everything after sampling runs as usual (group evaluation with this run's
   * evaluator, keep / repair / discard, the repairer, the admission gate), so two runs on one
   * candidate set differ only in what follows sampling. The policy model is never called. The
   * file is read once, before any work: a bad line, a (taskId, index) twice, or a task of the run
   * (after the shard) without all n candidates throws (`CandidatesSourceError`, `JsonlLineError`,
   * `ValidationError`). Settings and manifest record `candidatesFrom` (path, SHA-256, bytes);
   * a source that has only grown since (a run still appending) resumes, any other is refused.
   */
  candidates?: CandidatesOption;
}

function packageVersions(): Record<string, string> {
  return {
    '@autotraj/repairer': packageVersion('@autotraj/repairer', import.meta.url),
    node: process.versions.node,
  };
}

/**
 * The SFT synthesis pipeline: sample N candidates per task with real tools, evaluate them as a
 * group, keep / repair / discard, re-evaluate repairs, and write `candidates.jsonl`,
 * `sft.jsonl` (kept + accepted repairs, tool output loss-masked), `pairs.jsonl` (repaired over
 * original), `hard.jsonl` and `manifest.json`. Append-only and resumable: each task's results
 * are journaled in one line before they reach the outputs, so a run killed at any point and
 * rerun ends with exactly one copy of every record.
 *
 * When the tasks iterator throws (a bad line mid-file) or `signal` aborts, in-flight tasks are
 * aborted and awaited and every file is closed before the promise rejects: nothing is written
 * after it settles, and a rerun completes the job.
 */
export async function synthesize(options: SynthesizeOptions): Promise<SynthesisSummary> {
  const resolved = resolveSynthesizeOptions(options);
  const { n, concurrency, admission, repairRefused, shard } = resolved;
  const { protocol, maxToolCalls, sampling, prompt, modelName } = resolved.policy;
  const { policy, outDir } = options;
  const started = performance.now();
  const emit = (event: SynthesisEvent) => options.onProgress?.(event);
  options.signal?.throwIfAborted();

  // Taken candidates: the file and the run's tasks are checked against each other before
  // anything is written, so a wrong source or a too-long task list leaves the directory as it was.
  let source: CandidateSource | null = null;
  let tasks = options.tasks;
  if (options.candidates !== undefined) {
    const recorded = existsSync(outDir)
      ? readRunSettings(outDir, synthesisSettingsFromManifest)
      : null;
    source = readCandidateSource(options.candidates.from, {
      recorded: recorded?.settings.candidatesFrom,
    });
    const all: Task[] = [];
    for await (const task of options.tasks as AsyncIterable<Task>) all.push(task);
    const unique = new Map(all.map((task) => [task.id, task]));
    assertCandidatesCover(
      source,
      [...unique.values()].filter((task) => shard === null || isInShard(task.id, shard)),
      n,
      prompt === null ? null : promptRef(prompt),
    );
    tasks = all;
  }

  const settings = {
    ...synthesisRunSettings({
      modelName,
      repairModelName: resolved.repairer.modelName,
      protocol,
      n,
      maxToolCalls,
      sampling,
      prompt,
      instructions: policy.instructions,
      repairPrompt: resolved.repairer.prompt,
      tools: policy.tools.map((t) => t.name),
      preset: options.evaluator.preset ?? null,
      admission,
      repairStrategy: resolved.repairer.strategy,
      repairAttempts: resolved.repairer.maxAttempts,
      seedDerivation: SAMPLE_SEED_DERIVATION,
      candidatesFrom: source?.setting ?? null,
    }),
    // A run recorded before the option lacks it, and resumes (a setting not recorded is not compared).
    repairRefused,
    ...options.settings,
  };
  // Before anything is written: a directory of another run (or one in use) is refused untouched.
  const runDir = openRunDir({
    dir: outDir,
    command: 'synthesize',
    settings,
    forceNew: resolved.forceNew,
    legacySettings: synthesisSettingsFromManifest,
  });
  let store: Awaited<ReturnType<typeof openSynthesisStore>>;
  try {
    claimShardDir({ outDir, shard });
    store = await openSynthesisStore(outDir);
  } catch (error) {
    runDir.close();
    throw error;
  }
  // One controller for the run: the caller's abort and the driver's own exit both stop every task.
  const controller = new AbortController();
  const stop = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', stop, { once: true });
  // Aborted while the store opened: the run stops at once (and still closes every file).
  if (options.signal?.aborted) stop();

  const counts = store.counts;
  const resumed = store.done.size;
  const doneIds = new Set(store.done.keys());
  const inFlight = new Set<Promise<void>>();
  let doneNow = 0;
  const failures: Array<{ taskId: string; reason: string }> = [];
  // A cassette miss stops the run: the replay is not the recording, so every later task would
  // be measured against the wrong responses. Finished tasks stay journalled for a resume.
  let cassetteMiss: CassetteMissError | null = null;
  // So does a full disk: every later task would fail the same way. What was written stays whole
  // (the writer keeps no partial line), and a rerun once there is room resumes from it.
  let writeFailure: OutputWriteError | null = null;
  const totals = { trajectories: 0, modelCalls: 0, modelMs: 0, toolMs: 0, evaluationMs: 0 };
  try {
    emit({
      type: 'start',
      total: resolved.total,
      resumed,
      outDir,
      ...(source === null
        ? {}
        : {
            candidates: {
              file: source.file,
              records: source.records,
              tasks: source.tasks,
              unreadTailBytes: source.unreadTailBytes,
            },
          }),
    });
    const limiter: Limiter = options.limiter ?? createLimiter(concurrency);
    const context: TaskContext = {
      model: policy.model,
      tools: policy.tools,
      protocol,
      maxToolCalls,
      sampling,
      prompt,
      instructions: policy.instructions,
      modelName,
      retry: {
        ...policy.retry,
        onRetry: (event) => {
          policy.retry?.onRetry?.(event);
          emit({
            type: 'retry',
            reason: event.reason,
            attempt: event.attempt,
            delayMs: event.delayMs,
          });
        },
      },
      n,
      limiter,
      evaluator: options.evaluator,
      repairer: options.repairer,
      codec: createTagCodec({ toolTags: toolTagTable() }),
      admission,
      repairRefused,
      candidates: source,
      signal: controller.signal,
      onCandidate: (taskId, index) => emit({ type: 'candidate', taskId, index }),
      onRepair: (taskId, candidateId, status) =>
        emit({ type: 'repair', taskId, candidateId, status }),
    };

    const finishTask = async (task: Task): Promise<void> => {
      const entry = await runTask(context, task);
      // A task that finished as the run was stopped is not recorded: the rerun redoes it.
      controller.signal.throwIfAborted();
      store.record(entry);
      doneIds.add(task.id);
      totals.trajectories += entry.stats.trajectories;
      totals.modelCalls += entry.stats.modelCalls;
      totals.toolMs += entry.stats.toolMs;
      totals.modelMs += entry.stats.modelMs;
      totals.evaluationMs += entry.stats.evaluationMs;
      doneNow++;
      emit({
        type: 'task-done',
        taskId: task.id,
        done: resumed + doneNow,
        failed: failures.length,
        total: resolved.total,
        counts: { ...counts },
      });
    };

    // A bounded window of tasks in flight keeps the limiter busy without reading every task up front.
    const window = createLimiter(concurrency * 2);
    const seen = new Set<string>();
    // The run's tasks (id -> content hash), whichever shard they fall in.
    const runTasks = new Map<string, string>();
    for await (const task of tasks as AsyncIterable<Task>) {
      if (controller.signal.aborted) break;
      if (!runTasks.has(task.id))
        runTasks.set(task.id, createHash('sha256').update(JSON.stringify(task)).digest('hex'));
      if (shard !== null && !isInShard(task.id, shard)) continue;
      if (store.done.has(task.id) || seen.has(task.id)) continue;
      seen.add(task.id);
      while (window.active + window.pending >= concurrency * 2) await Promise.race(inFlight);
      const p: Promise<void> = window
        .run(() => {
          controller.signal.throwIfAborted();
          return finishTask(task);
        })
        .catch((error: unknown) => {
          // Tasks cut short by the stop are not failures of their own.
          if (controller.signal.aborted) return;
          if (CassetteMissError.isInstance(error)) {
            cassetteMiss = error;
            controller.abort(error);
            return;
          }
          if (OutputWriteError.isInstance(error)) {
            writeFailure ??= error;
            controller.abort(error);
            return;
          }
          const reason = error instanceof Error ? error.message : String(error);
          failures.push({ taskId: task.id, reason });
          emit({
            type: 'task-failed',
            taskId: task.id,
            reason,
            done: resumed + doneNow,
            failed: failures.length,
            total: resolved.total,
          });
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    if (cassetteMiss !== null) throw cassetteMiss;
    if (writeFailure !== null) throw writeFailure;
    controller.signal.throwIfAborted();

    const wallMs = performance.now() - started;
    const seconds = wallMs / 1000;
    const assigned = [...runTasks.keys()].filter((id) => shard === null || isInShard(id, shard));
    const coverage: SynthesisCoverage = {
      run: {
        ...taskSetDigest(runTasks.keys()),
        contentDigest: taskSetDigest([...runTasks].map(([id, hash]) => `${id}\t${hash}`)).digest,
      },
      assigned: taskSetDigest(assigned),
      done: taskSetDigest(doneIds),
    };
    const summary: SynthesisSummary = {
      outDir,
      shard: shard === null ? null : { ...shard, spec: formatShard(shard) },
      coverage,
      counts,
      admission,
      run: { done: doneNow, resumed, failed: failures.length, failures },
      timings: {
        wallMs: Math.round(wallMs),
        trajectories: totals.trajectories,
        modelCalls: totals.modelCalls,
        trajectoriesPerSecond: seconds > 0 ? totals.trajectories / seconds : 0,
        modelCallsPerSecond: seconds > 0 ? totals.modelCalls / seconds : 0,
        toolMsPerTrajectory: totals.trajectories > 0 ? totals.toolMs / totals.trajectories : 0,
        evaluationMsPerTrajectory:
          totals.trajectories > 0 ? totals.evaluationMs / totals.trajectories : 0,
        modelMsPerCall: totals.modelCalls > 0 ? totals.modelMs / totals.modelCalls : 0,
      },
    };
    const manifest: SynthesisManifest = {
      // What `autotraj merge` dispatches on.
      kind: 'synthesis',
      createdBy: '@autotraj/repairer synthesize',
      // Which rules scored and selected the candidates (e.g. `paper`, `autotraj`).
      evaluatorPreset: options.evaluator.preset ?? null,
      finishedAt: new Date().toISOString(),
      versions: packageVersions(),
      config: {
        n,
        concurrency,
        protocol,
        maxToolCalls,
        sampling,
        // How candidate seeds come from sampling.seed: a run under an older rule is told apart.
        seedDerivation: SAMPLE_SEED_DERIVATION,
        model: modelName,
        tools: policy.tools.map((t) => t.name),
        admission,
        repairRefused,
        repair: {
          strategy: resolved.repairer.strategy,
          maxAttempts: resolved.repairer.maxAttempts,
          acceptance:
            typeof options.repairer.options.acceptance === 'function'
              ? 'custom'
              : (options.repairer.options.acceptance ?? 'evaluator'),
        },
        prompt: prompt === null ? { custom: policy.instructions } : promptRef(prompt),
        // The candidates were taken from this file, not sampled: the policy settings above
        // describe no call of this run (each candidate keeps its own provenance).
        candidatesFrom:
          source === null
            ? null
            : { ...source.setting, records: source.records, tasks: source.tasks },
        ...options.config,
      },
      settings: runDir.settings,
      files: {
        candidates: RUN_FILES.candidates,
        sft: RUN_FILES.sft,
        pairs: RUN_FILES.pairs,
        hard: RUN_FILES.hard,
        dropped: RUN_FILES.dropped,
        journal: RUN_FILES.journal,
      },
      ...summary,
    };
    store.writeManifest(manifest);
    emit({ type: 'finish', summary });
    return summary;
  } finally {
    // On any exit: stop what still runs, wait until it has, then close every file.
    if (inFlight.size > 0) {
      controller.abort(new Error('synthesis stopped'));
      await Promise.allSettled(inFlight);
    }
    options.signal?.removeEventListener('abort', stop);
    try {
      store.close();
    } finally {
      runDir.close();
    }
  }
}
