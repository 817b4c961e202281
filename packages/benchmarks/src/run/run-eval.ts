import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { type AnswerBackend, checkPaperFormat } from '@autotraj/evaluator';
import {
  builtinPrompts,
  createLimiter,
  defaultPrompt,
  formatShard,
  generateTrajectory,
  isInShard,
  type ModelLike,
  type RetryOptions,
  type Shard,
} from '@autotraj/generation';
import {
  claimShardDir,
  OutputWriteError,
  openRunDir,
  type PromptTemplate,
  promptRef,
  type RecordedRunSettings,
  RUN_DEFAULTS,
  RUN_FILES,
  type RunSettings,
  SAMPLE_SEED_DERIVATION,
  sampleSeed,
  type ToolRuntime,
  type Trajectory,
  taskSetDigest,
  trajectoryToText,
  writeFileAtomic,
  writeJsonAtomic,
} from '@autotraj/trajectory';
import { packageVersion } from '@autotraj/trajectory/internal';
import { BenchmarkError } from '../errors.js';
import type { BenchmarkQuestion } from '../load/load-benchmark.js';
import type { BenchmarkKind } from '../registry.js';
import { resultsMarkdown } from '../report/markdown.js';
import type { EvalResults } from '../report/results-schema.js';
import { summarizeEval } from '../report/summarize.js';
import { checkAnswer } from '../score/check-answer.js';
import { type EvalManifest, type EvalRecord, type EvalSettings, recordKey } from './records.js';
import { openEvalStore, readEvalManifest } from './store.js';

export type EvalEvent =
  | { type: 'start'; total: number; resumed: number; outDir: string }
  | {
      type: 'sample-done';
      record: EvalRecord;
      done: number;
      failed: number;
      total: number;
    }
  | {
      type: 'sample-failed';
      benchmark: string;
      questionId: string;
      sample: number;
      reason: string;
      done: number;
      failed: number;
      total: number;
    };

export interface RunEvalOptions {
  /** Questions of every benchmark, in the order they are to be run. */
  questions: ReadonlyArray<BenchmarkQuestion>;
  /** Where each benchmark's questions came from (recorded in the manifest). */
  sources: Readonly<Record<string, string>>;
  model: ModelLike;
  modelName: string;
  /** How the model was resolved (`live`, `replay`, ...), recorded in the manifest. */
  modelMode: string;
  /** Tools per kind; their names must match `settings.tools`. */
  tools: Readonly<Record<BenchmarkKind, ReadonlyArray<ToolRuntime>>>;
  settings: EvalSettings;
  outDir: string;
  /** Samples generated at once (default 4). */
  concurrency?: number;
  retry?: RetryOptions;
  /**
   * Prompt templates per kind (default: the protocol's; `cot-example` when a kind has no tools;
   * `paper` for text-tag QA). Recorded in the manifest's settings with their hashes.
   */
  prompts?: Partial<Record<BenchmarkKind, PromptTemplate>>;
  /** Math answers decided by this backend (settings.mathChecker `math-verify`). */
  mathBackend?: AnswerBackend;
  onProgress?: (event: EvalEvent) => void;
  /**
   * Stops the run early: samples in flight are dropped (a rerun does them), what finished is
   * summarised in results.json / results.md, and the promise resolves with `run.stopped`.
   */
  signal?: AbortSignal;
  /**
   * Run only the questions whose `benchmark/questionId` hashes into this shard (`parseShard`);
   * the manifest records the shard and the run's question set so `autotraj merge` can join
   * the shards. Resuming the directory as another shard throws `ShardMismatchError`.
   */
  shard?: Shard;
  /**
   * Settings of the caller's that make a rerun the same run, beside `settings` and the model
   * name (e.g. a local model file's hash). All are recorded in `outDir/settings.json` before
   * any work; resuming the directory with any different throws `RunSettingsMismatchError`
   * (`@autotraj/trajectory`) naming each with both values, and nothing changes. A second
   * process on the directory gets `RunLockedError`.
   */
  runSettings?: RunSettings;
  /** Start afresh even if `outDir` holds an evaluation with other settings (moved aside first). */
  forceNew?: boolean;
}

/**
 * Each kind's prompt template: the caller's, else the protocol's default; with no tools, the
 * no-tool chain-of-thought baseline (`cot-boxed` for markdown: the model's own prose and
 * `\boxed{}`; `cot-example` for tags); text-tag QA gets `paper`, whose worked examples include
 * a search.
 */
function evalPrompts(options: RunEvalOptions): Record<BenchmarkKind, PromptTemplate> {
  const { protocol, tools } = options.settings;
  const fallback = (kind: BenchmarkKind): PromptTemplate => {
    if (tools[kind].length === 0)
      return builtinPrompts[protocol === 'markdown' ? 'cot-boxed' : 'cot-example']!;
    if (kind === 'qa' && protocol === 'text-tags') return builtinPrompts.paper!;
    return defaultPrompt('generation', protocol);
  };
  return {
    math: options.prompts?.math ?? fallback('math'),
    qa: options.prompts?.qa ?? fallback('qa'),
  };
}

/** The key a question is sharded by: `benchmark/questionId`. */
export const evalShardKey = (q: { benchmark: string; id: string }): string =>
  `${q.benchmark}/${q.id}`;

export interface RunEvalSummary {
  outDir: string;
  results: EvalResults;
  run: {
    done: number;
    resumed: number;
    failed: number;
    /** The run was stopped by `signal` before every sample was done (a rerun continues). */
    stopped: boolean;
    failures: Array<{ benchmark: string; questionId: string; sample: number; reason: string }>;
  };
  wallMs: number;
}

function versions(): Record<string, string> {
  return {
    '@autotraj/benchmarks': packageVersion('@autotraj/benchmarks', import.meta.url),
    node: process.versions.node,
  };
}

/**
 * An evaluation's settings by name, as `openRunDir` compares them. Only what was recorded:
 * a manifest written before prompts had names has no `prompts`, so they are not compared.
 */
function evalRunSettings(
  modelName: string,
  settings: EvalSettings,
  seedDerivation: string,
): RunSettings {
  return { model: modelName, ...(settings as RunSettings), seedDerivation };
}

/** The settings an evaluation directory's manifest recorded, for one made before `settings.json`. */
function evalSettingsFromManifest(dir: string): RecordedRunSettings | null {
  const manifest = readEvalManifest(dir);
  if (manifest === null) return null;
  return {
    file: join(dir, RUN_FILES.manifest),
    command: null,
    // A directory sampled under another seed rule (none recorded: `seed + i`) is another run.
    settings: evalRunSettings(
      manifest.model.name,
      manifest.settings,
      manifest.seedDerivation ?? 'seed+i',
    ),
    startedAt: manifest.startedAt,
  };
}

/**
 * A markdown trajectory's format problems: what its codec could not place (no \boxed{} answer,
 * a python block left without its output, an unclosed block, an output block without code).
 */
function markdownViolations(trajectory: Trajectory): number {
  const issues = trajectory.metadata.issues;
  return Array.isArray(issues) ? issues.length : 0;
}

/** One sample's record: generate with real tools, check the answer, measure. */
async function runSample(
  options: RunEvalOptions,
  question: BenchmarkQuestion,
  sample: number,
  prompts: Record<BenchmarkKind, PromptTemplate>,
  signal: AbortSignal,
): Promise<EvalRecord> {
  const { settings } = options;
  const started = performance.now();
  const trajectory: Trajectory = await generateTrajectory({
    model: options.model,
    task: { id: question.id, question: question.question },
    tools: options.tools[question.kind],
    protocol: settings.protocol,
    maxToolCalls: settings.maxToolCalls,
    promptTemplate: prompts[question.kind],
    sampling: {
      temperature: settings.temperature,
      seed: sampleSeed({ runSeed: settings.seed, taskId: question.id, index: sample }),
      ...(settings.maxTokens === null ? {} : { maxOutputTokens: settings.maxTokens }),
    },
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    modelName: options.modelName,
    origin: 'sampled',
    salt: sample,
    metadata: { benchmark: question.benchmark },
    signal,
  });
  const ms = performance.now() - started;
  const check = await checkAnswer({
    kind: question.kind,
    goldAnswers: question.goldAnswers,
    trajectory,
    ...(options.mathBackend === undefined ? {} : { mathBackend: options.mathBackend }),
  });
  const toolCalls = trajectory.steps.filter((s) => s.type === 'tool-call').length;
  const toolErrors = trajectory.steps.filter((s) => s.type === 'tool-result' && s.isError).length;
  const formatViolations =
    settings.protocol === 'text-tags'
      ? checkPaperFormat(trajectoryToText(trajectory, 'tags'), {
          maxToolCalls: settings.maxToolCalls,
        }).violations.length
      : settings.protocol === 'markdown'
        ? markdownViolations(trajectory)
        : 0;
  return {
    benchmark: question.benchmark,
    questionId: question.id,
    sample,
    question: question.question,
    goldAnswers: question.goldAnswers,
    trajectory,
    verdict: {
      ...check,
      toolCalls,
      toolErrors,
      formatViolations,
      outputTokens: trajectory.provenance.usage?.outputTokens ?? 0,
      ms: Math.round(ms),
    },
  };
}

/**
 * Evaluate a model on benchmark questions, `settings.n` samples each, with real tools, and
 * write `records.jsonl` (one line per sample, appended as each finishes), `manifest.json`,
 * `results.json` (`summarizeEval`) and `results.md` in `outDir`. Resumable: rerun with the
 * same directory and settings and only the samples without a record are generated; a kill
 * loses at most the samples in flight. A sample whose model call keeps failing is reported
 * in the summary (a rerun retries it), not recorded.
 */
export async function runEval(options: RunEvalOptions): Promise<RunEvalSummary> {
  const { outDir } = options;
  const prompts = evalPrompts(options);
  // The prompts are settings like any other: a directory made with other prompts is another run.
  const settings: EvalSettings = {
    ...options.settings,
    prompts: { math: promptRef(prompts.math), qa: promptRef(prompts.qa) },
  };
  const concurrency = options.concurrency ?? RUN_DEFAULTS.eval.concurrency;
  const started = performance.now();
  options.signal?.throwIfAborted();
  for (const kind of ['math', 'qa'] as const) {
    const names = options.tools[kind].map((t) => t.name);
    if (JSON.stringify(names) !== JSON.stringify(settings.tools[kind]))
      throw new BenchmarkError({
        code: 'invalid_option',
        message: `settings.tools.${kind} is ${JSON.stringify(settings.tools[kind])} but the tools given are ${JSON.stringify(names)}`,
      });
  }
  if (settings.n > 1 && settings.temperature === 0)
    throw new BenchmarkError({
      code: 'invalid_option',
      message: `n = ${settings.n} samples at temperature 0 would all be the same; give a temperature > 0`,
    });

  // Refused before anything is written: a directory of another run, or one in use.
  const runDir = openRunDir({
    dir: outDir,
    command: 'eval',
    settings: {
      ...evalRunSettings(options.modelName, settings, SAMPLE_SEED_DERIVATION),
      ...options.runSettings,
    },
    forceNew: options.forceNew ?? false,
    legacySettings: evalSettingsFromManifest,
  });
  try {
    return await evaluate(runDir.replaced === null ? readEvalManifest(outDir) : null);
  } finally {
    runDir.close();
  }

  async function evaluate(previous: EvalManifest | null): Promise<RunEvalSummary> {
    const shard = options.shard ?? null;
    const inShard = (q: BenchmarkQuestion) => shard === null || isInShard(evalShardKey(q), shard);
    const questions = options.questions.filter(inShard);
    const coverage = {
      run: {
        ...taskSetDigest(options.questions.map(evalShardKey)),
        contentDigest: taskSetDigest(
          options.questions.map(
            (q) =>
              `${evalShardKey(q)}\t${createHash('sha256').update(JSON.stringify(q)).digest('hex')}`,
          ),
        ).digest,
      },
      assigned: taskSetDigest(questions.map(evalShardKey)),
    };

    // Benchmarks: the earlier run's, then this run's; the larger question count wins (--limit grew or shrank).
    // Every benchmark of the run is listed, with this shard's questions (0 when none hash here).
    const counts = new Map<string, { kind: BenchmarkKind; source: string; questions: number }>();
    for (const b of previous?.benchmarks ?? [])
      counts.set(b.name, { kind: b.kind, source: b.source, questions: b.questions });
    const thisRun = new Map<string, number>();
    for (const q of options.questions)
      thisRun.set(q.benchmark, (thisRun.get(q.benchmark) ?? 0) + (inShard(q) ? 1 : 0));
    for (const [name, questions] of thisRun) {
      const kinds = new Set(
        options.questions.filter((q) => q.benchmark === name).map((q) => q.kind),
      );
      if (kinds.size > 1)
        throw new BenchmarkError({
          code: 'mixed_kinds',
          message: `benchmark ${name} mixes math and qa questions; split it into one file per kind`,
        });
      const kind = [...kinds][0]!;
      const before = counts.get(name);
      counts.set(name, {
        kind,
        source: options.sources[name] ?? name,
        questions: Math.max(questions, before?.questions ?? 0),
      });
    }
    const benchmarks = [...counts].map(([name, b]) => ({ name, ...b }));

    claimShardDir({ outDir, shard });
    const store = await openEvalStore(outDir);
    const startedAt = previous?.startedAt ?? new Date().toISOString();
    const failures: RunEvalSummary['run']['failures'] = [];
    const manifest = (): EvalManifest => ({
      kind: 'eval',
      model: { name: options.modelName, mode: options.modelMode },
      settings,
      seedDerivation: SAMPLE_SEED_DERIVATION,
      benchmarks,
      counts: {
        expected: benchmarks.reduce((s, b) => s + b.questions * settings.n, 0),
        done: store.done.size,
        failed: failures.length,
      },
      versions: versions(),
      startedAt,
      updatedAt: new Date().toISOString(),
      shard: shard === null ? null : { ...shard, spec: formatShard(shard) },
      coverage,
    });

    const controller = new AbortController();
    const stop = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', stop, { once: true });
    const resumed = store.done.size;
    let doneNow = 0;
    // A full disk stops the run: every later sample would fail the same way. The files keep
    // whole lines only, and a rerun once there is room resumes from them.
    let writeFailure: OutputWriteError | undefined;
    try {
      writeJsonAtomic(join(outDir, RUN_FILES.manifest), manifest());
      const work: Array<{ question: BenchmarkQuestion; sample: number }> = [];
      for (const question of questions)
        for (let sample = 0; sample < settings.n; sample++)
          if (
            !store.done.has(
              recordKey({ benchmark: question.benchmark, questionId: question.id, sample }),
            )
          )
            work.push({ question, sample });
      const total = work.length + resumed;
      options.onProgress?.({ type: 'start', total, resumed, outDir });
      const limiter = createLimiter(concurrency);
      await Promise.all(
        work.map(({ question, sample }) =>
          limiter.run(async () => {
            if (controller.signal.aborted) return;
            try {
              const record = await runSample(options, question, sample, prompts, controller.signal);
              // A sample that finished as the run was stopped is not recorded: the rerun redoes it.
              if (controller.signal.aborted) return;
              store.record(record);
              doneNow++;
              options.onProgress?.({
                type: 'sample-done',
                record,
                done: resumed + doneNow,
                failed: failures.length,
                total,
              });
            } catch (error) {
              if (controller.signal.aborted) return;
              if (OutputWriteError.isInstance(error)) {
                writeFailure ??= error;
                controller.abort(error);
                return;
              }
              const reason = (error as Error).message;
              failures.push({
                benchmark: question.benchmark,
                questionId: question.id,
                sample,
                reason,
              });
              options.onProgress?.({
                type: 'sample-failed',
                benchmark: question.benchmark,
                questionId: question.id,
                sample,
                reason,
                done: resumed + doneNow,
                failed: failures.length,
                total,
              });
            }
          }),
        ),
      );
      if (writeFailure !== undefined) throw writeFailure;
      // Stopped or finished, everything recorded is summarised (a stopped run's benchmarks show as partial).
      const records = [...store.done.values()];
      const final = manifest();
      const results = summarizeEval(records, final);
      store.close();
      // Rewrite the records sorted (benchmark order, question id, sample) so equal runs give equal files.
      const order = new Map(benchmarks.map((b, i) => [b.name, i]));
      const position = new Map(questions.map((q, i) => [`${q.benchmark}\u0000${q.id}`, i]));
      records.sort((a, b) => {
        const ob = (order.get(a.benchmark) ?? 0) - (order.get(b.benchmark) ?? 0);
        if (ob !== 0) return ob;
        const pa = position.get(`${a.benchmark}\u0000${a.questionId}`) ?? Number.MAX_SAFE_INTEGER;
        const pb = position.get(`${b.benchmark}\u0000${b.questionId}`) ?? Number.MAX_SAFE_INTEGER;
        if (pa !== pb) return pa - pb;
        if (a.questionId !== b.questionId) return a.questionId < b.questionId ? -1 : 1;
        return a.sample - b.sample;
      });
      writeFileAtomic(
        join(outDir, RUN_FILES.records),
        records.map((r) => `${JSON.stringify(r)}\n`).join(''),
      );
      writeJsonAtomic(join(outDir, RUN_FILES.manifest), final);
      writeJsonAtomic(join(outDir, RUN_FILES.results), results);
      writeFileAtomic(join(outDir, RUN_FILES.resultsMarkdown), resultsMarkdown(results));
      return {
        outDir,
        results,
        run: {
          done: doneNow,
          resumed,
          failed: failures.length,
          failures,
          stopped: controller.signal.aborted,
        },
        wallMs: performance.now() - started,
      };
    } finally {
      options.signal?.removeEventListener('abort', stop);
      store.close();
    }
  }
}
