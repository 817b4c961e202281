import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createLimiter,
  type Limiter,
  type ModelLike,
  nativeInstructions,
  type Protocol,
  type RetryOptions,
  sampleCandidates,
  tirInstructions,
} from '@autotraj/generation';
import { modelNameOf } from '@autotraj/generation/internal';
import {
  createJsonlWriter,
  createTagCodec,
  type EvaluationReport,
  type Evaluator,
  type JsonlWriter,
  type PreferencePair,
  readExistingIds,
  readJsonl,
  renderWithLossMask,
  type Sampling,
  type SftRecord,
  type Task,
  type ToolRuntime,
  type Trajectory,
} from '@autotraj/trajectory';
import { toolTagTable } from '@autotraj/trajectory/internal';
import type { Repairer } from '../repair/repairer.js';
import {
  type CandidateRecord,
  type HardCase,
  type JournalEntry,
  journalEntrySchema,
} from './synthesis-records.js';

export interface SynthesisPolicy {
  model: ModelLike;
  tools: ReadonlyArray<ToolRuntime>;
  protocol?: Protocol;
  maxToolCalls?: number;
  /** Candidate sampling (default temperature 0.3, the paper's); candidate i gets seed `seed + i`. */
  sampling?: Sampling;
  instructions?: string;
  retry?: RetryOptions;
  modelName?: string;
}

export type SynthesisEvent =
  | { type: 'start'; total: number | null; resumed: number; outDir: string }
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

export interface SynthesisCounts {
  tasks: number;
  candidates: number;
  kept: number;
  repairAccepted: number;
  hard: number;
  discarded: number;
  sft: number;
  pairs: number;
}

export interface SynthesisSummary {
  outDir: string;
  counts: SynthesisCounts;
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
  signal?: AbortSignal;
  /** Extra configuration recorded in the manifest (model flags, source file, ...). */
  config?: Record<string, unknown>;
}

const OUTPUTS = ['candidates', 'sft', 'pairs', 'hard'] as const;
type Output = (typeof OUTPUTS)[number];

function packageVersions(): Record<string, string> {
  // This module runs from dist/index.js (built) or src/synthesis/ (tests): the nearest
  // package.json upwards is the repairer's.
  const read = (): string => {
    for (const up of ['../package.json', '../../package.json']) {
      try {
        const manifest = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (manifest.name === '@autotraj/repairer') return manifest.version ?? 'unknown';
      } catch {}
    }
    return 'unknown';
  };
  return {
    '@autotraj/repairer': read(),
    node: process.versions.node,
  };
}

const brief = (report: EvaluationReport) => ({
  correct: report.correct,
  quality: report.quality,
  diagnostics: report.diagnostics.map(({ stepIndex, code, message }) => ({
    stepIndex,
    code,
    message,
  })),
});

const emptyCounts = (): SynthesisCounts => ({
  tasks: 0,
  candidates: 0,
  kept: 0,
  repairAccepted: 0,
  hard: 0,
  discarded: 0,
  sft: 0,
  pairs: 0,
});

function addEntry(counts: SynthesisCounts, entry: JournalEntry): void {
  counts.tasks++;
  counts.candidates += entry.candidates.length;
  counts.kept += entry.sft.filter((r) => r.origin === 'kept').length;
  counts.repairAccepted += entry.sft.filter((r) => r.origin === 'repaired').length;
  counts.hard += entry.hard.length;
  counts.discarded += entry.stats.discarded;
  counts.sft += entry.sft.length;
  counts.pairs += entry.pairs.length;
}

/**
 * The SFT synthesis pipeline: sample N candidates per task with real tools, evaluate them as a
 * group, keep / repair / discard, re-evaluate repairs, and write `candidates.jsonl`,
 * `sft.jsonl` (kept + accepted repairs, tool output loss-masked), `pairs.jsonl` (repaired over
 * original), `hard.jsonl` and `manifest.json`. Append-only and resumable: each task's results
 * are journaled in one line before they reach the outputs, so a run killed at any point and
 * rerun ends with exactly one copy of every record.
 */
export async function synthesize(options: SynthesizeOptions): Promise<SynthesisSummary> {
  const n = options.n ?? 2;
  const concurrency = options.concurrency ?? 8;
  const { policy, outDir } = options;
  const protocol = policy.protocol ?? 'text-tags';
  const maxToolCalls = policy.maxToolCalls ?? 3;
  const instruction =
    policy.instructions ??
    (protocol === 'text-tags'
      ? tirInstructions({ toolNames: policy.tools.map((t) => t.name), maxToolCalls })
      : nativeInstructions({ maxToolCalls }));
  const sampling: Sampling = { temperature: 0.3, ...policy.sampling };
  const modelName = policy.modelName ?? modelNameOf(policy.model);
  const codec = createTagCodec({ toolTags: toolTagTable() });
  const started = performance.now();
  const emit = (event: SynthesisEvent) => options.onProgress?.(event);

  // Resume: completed tasks come from the journal; outputs are topped up with anything a kill cut off.
  const journalPath = join(outDir, 'journal.jsonl');
  const done = new Map<string, JournalEntry>();
  const journalWriter = createJsonlWriter(journalPath);
  journalWriter.close();
  for await (const { value } of readJsonl(journalPath, { schema: journalEntrySchema }))
    done.set(value.taskId, value);
  const writers = {} as Record<Output, JsonlWriter<unknown>>;
  const present = {} as Record<Output, Set<string>>;
  for (const output of OUTPUTS) {
    const path = join(outDir, `${output}.jsonl`);
    writers[output] = createJsonlWriter(path);
    present[output] = (await readExistingIds(path)).ids;
  }
  // Entries are built from records validated as they were made; the schema checks them on read.
  const journal = createJsonlWriter(journalPath);
  const writeOutputs = (entry: JournalEntry) => {
    const records: Record<Output, ReadonlyArray<{ id: string }>> = {
      candidates: entry.candidates,
      sft: entry.sft,
      pairs: entry.pairs,
      hard: entry.hard,
    };
    for (const output of OUTPUTS) {
      for (const record of records[output]) {
        if (present[output].has(record.id)) continue;
        writers[output].write(record);
        present[output].add(record.id);
      }
    }
  };
  const counts = emptyCounts();
  for (const entry of done.values()) {
    writeOutputs(entry);
    addEntry(counts, entry);
  }
  const resumed = done.size;
  emit({ type: 'start', total: options.total ?? null, resumed, outDir });

  const limiter: Limiter = options.limiter ?? createLimiter(concurrency);
  const retry: RetryOptions = {
    ...policy.retry,
    onRetry: (event) => {
      policy.retry?.onRetry?.(event);
      emit({ type: 'retry', reason: event.reason, attempt: event.attempt, delayMs: event.delayMs });
    },
  };
  let doneNow = 0;
  const failures: Array<{ taskId: string; reason: string }> = [];
  const totals = { trajectories: 0, modelCalls: 0, modelMs: 0, toolMs: 0, evaluationMs: 0 };

  async function runTask(task: Task): Promise<void> {
    const stats = {
      modelCalls: 0,
      modelMs: 0,
      toolCalls: 0,
      toolMs: 0,
      evaluationMs: 0,
      trajectories: 0,
      discarded: 0,
    };
    const account = (trajectory: Trajectory | null) => {
      if (trajectory === null) return;
      const g = trajectory.metadata.generation as
        | { modelCalls?: number; modelMs?: number; toolCalls?: number; toolMs?: number }
        | undefined;
      stats.trajectories++;
      stats.modelCalls += g?.modelCalls ?? 0;
      stats.modelMs += g?.modelMs ?? 0;
      stats.toolCalls += g?.toolCalls ?? 0;
      stats.toolMs += g?.toolMs ?? 0;
    };
    const candidates = await sampleCandidates({
      model: policy.model,
      task,
      n,
      limiter,
      tools: policy.tools,
      protocol,
      maxToolCalls,
      instructions: instruction,
      sampling,
      retry,
      modelName,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      onCandidate: ({ index }) => emit({ type: 'candidate', taskId: task.id, index }),
    });
    candidates.forEach(account);
    let t = performance.now();
    const group = await options.evaluator.evaluateGroup({ task, candidates });
    stats.evaluationMs += performance.now() - t;
    const reportById = new Map(group.reports.map((r) => [r.trajectoryId, r]));
    const decisionById = new Map(group.decisions.map((d) => [d.trajectoryId, d]));

    const candidateRecords: CandidateRecord[] = [];
    const sft: SftRecord[] = [];
    const pairs: PreferencePair[] = [];
    const hard: HardCase[] = [];
    const sftRecord = (
      trajectory: Trajectory,
      origin: 'kept' | 'repaired',
      quality: number,
    ): SftRecord => ({
      id: `sft_${trajectory.id}`,
      taskId: task.id,
      instruction,
      question: task.question,
      trajectory,
      origin,
      quality,
      rendered: renderWithLossMask(trajectory.steps, codec),
      metadata: {},
    });

    const repairs: Array<Promise<void>> = [];
    candidates.forEach((trajectory, index) => {
      const report = reportById.get(trajectory.id);
      const decision = decisionById.get(trajectory.id) ?? {
        action: 'repair' as const,
        reason: 'no decision from the evaluator',
      };
      if (report === undefined)
        throw new Error(`evaluator returned no report for candidate ${trajectory.id}`);
      candidateRecords.push({
        id: trajectory.id,
        taskId: task.id,
        index,
        trajectory,
        ...brief(report),
        decision: { action: decision.action, reason: decision.reason },
      });
      if (decision.action === 'keep') sft.push(sftRecord(trajectory, 'kept', report.quality));
      else if (decision.action === 'discard') stats.discarded++;
      else {
        repairs.push(
          limiter.run(async () => {
            const result = await options.repairer.repair({
              task,
              trajectory,
              report,
              group: candidates,
              ...(options.signal ? { signal: options.signal } : {}),
            });
            stats.evaluationMs += result.evaluationMs;
            for (const attempt of result.history) account(attempt.trajectory);
            emit({
              type: 'repair',
              taskId: task.id,
              candidateId: trajectory.id,
              status: result.status,
            });
            if (result.status === 'accepted' && result.repaired !== null && result.after !== null) {
              sft.push(sftRecord(result.repaired, 'repaired', result.after.quality));
              pairs.push({
                id: `pair_${result.repaired.id}`,
                taskId: task.id,
                instruction,
                question: task.question,
                chosen: result.repaired,
                rejected: trajectory,
                source: 'repair',
                chosenScore: result.after.quality,
                rejectedScore: report.quality,
                metadata: { attempts: result.attempts, reason: result.reason },
              });
            } else {
              hard.push({
                id: `hard_${trajectory.id}`,
                taskId: task.id,
                question: task.question,
                original: trajectory,
                originalReport: brief(report),
                lastAttempt: result.repaired,
                lastReport: result.after === null ? null : brief(result.after),
                attempts: result.attempts,
                reason: result.reason,
              });
            }
          }),
        );
      }
    });
    await Promise.all(repairs);
    // Records in a stable order whatever order repairs finished in.
    const order = new Map(candidates.map((c, i) => [c.id, i]));
    const rank = (id: string | undefined) => order.get(id ?? '') ?? -1;
    sft.sort(
      (a, b) =>
        rank(a.trajectory.provenance.parentId ?? a.trajectory.id) -
        rank(b.trajectory.provenance.parentId ?? b.trajectory.id),
    );
    pairs.sort((a, b) => rank(a.rejected.id) - rank(b.rejected.id));
    hard.sort((a, b) => rank(a.original.id) - rank(b.original.id));
    t = performance.now();
    const entry: JournalEntry = {
      id: task.id,
      taskId: task.id,
      candidates: candidateRecords,
      sft,
      pairs,
      hard,
      stats,
    };
    journal.write(entry);
    writeOutputs(entry);
    addEntry(counts, entry);
    totals.trajectories += stats.trajectories;
    totals.modelCalls += stats.modelCalls;
    totals.toolMs += stats.toolMs;
    totals.modelMs += stats.modelMs;
    totals.evaluationMs += stats.evaluationMs;
    doneNow++;
    emit({
      type: 'task-done',
      taskId: task.id,
      done: resumed + doneNow,
      failed: failures.length,
      total: options.total ?? null,
      counts: { ...counts },
    });
  }

  // A bounded window of tasks in flight keeps the limiter busy without reading every task up front.
  const window = createLimiter(concurrency * 2);
  const inFlight = new Set<Promise<void>>();
  const seen = new Set<string>();
  for await (const task of options.tasks as AsyncIterable<Task>) {
    if (options.signal?.aborted) break;
    if (done.has(task.id) || seen.has(task.id)) continue;
    seen.add(task.id);
    while (window.active + window.pending >= concurrency * 2) await Promise.race(inFlight);
    const p: Promise<void> = window
      .run(() => runTask(task))
      .catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        failures.push({ taskId: task.id, reason });
        emit({
          type: 'task-failed',
          taskId: task.id,
          reason,
          done: resumed + doneNow,
          failed: failures.length,
          total: options.total ?? null,
        });
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  journal.close();
  for (const output of OUTPUTS) writers[output].close();

  const wallMs = performance.now() - started;
  const seconds = wallMs / 1000;
  const summary: SynthesisSummary = {
    outDir,
    counts,
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
  const manifest = {
    createdBy: '@autotraj/repairer synthesize',
    finishedAt: new Date().toISOString(),
    versions: packageVersions(),
    config: {
      n,
      concurrency,
      protocol,
      maxToolCalls,
      sampling,
      model: modelName,
      tools: policy.tools.map((t) => t.name),
      repair: {
        strategy: options.repairer.options.strategy ?? 'regenerate',
        maxAttempts: options.repairer.options.maxAttempts ?? 1,
        acceptance:
          typeof options.repairer.options.acceptance === 'function'
            ? 'custom'
            : (options.repairer.options.acceptance ?? 'evaluator'),
      },
      instruction,
      ...options.config,
    },
    files: {
      candidates: 'candidates.jsonl',
      sft: 'sft.jsonl',
      pairs: 'pairs.jsonl',
      hard: 'hard.jsonl',
      journal: 'journal.jsonl',
    },
    ...summary,
  };
  const manifestPath = join(outDir, 'manifest.json');
  writeFileSync(`${manifestPath}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${manifestPath}.tmp`, manifestPath);
  emit({ type: 'finish', summary });
  return summary;
}
