import { join } from 'node:path';
import {
  type GenerateTrajectoryOptions,
  generateTrajectory,
  generationPromptTurns,
} from '@autotraj/generation';
import { modelNameOf } from '@autotraj/generation/internal';
import {
  createJsonlWriter,
  getTextCodec,
  isTextFormat,
  openRunDir,
  type PromptTurns,
  promptRef,
  type RewardBreakdown,
  type RolloutRecord,
  RUN_FILES,
  type RunSettings,
  renderWithLossMask,
  rolloutRecordSchema,
  SAMPLE_SEED_DERIVATION,
  sampleSeed,
  type Task,
  type ToolRuntime,
  type Trajectory,
} from '@autotraj/trajectory';
import { type GroupAdvantageOptions, groupAdvantages, isZeroVarianceGroup } from '../advantages.js';
import { RlConfigError } from '../errors.js';
import type { Reward, RewardPresetName, RmCalibration } from '../reward/create-reward.js';
import { sealRewardBatch } from '../reward/sealed-batch.js';
import type { TrajectoryScorer } from '../scorer.js';
import { readRollouts } from './read-rollouts.js';
import { type ResolvedRolloutOptions, resolveRolloutOptions } from './rollout-options.js';

/** Produces one rollout; the default runs `generateTrajectory` from @autotraj/generation. */
export type GenerateRollout = (
  task: Task,
  context: { rolloutIndex: number; groupId: string },
) => Promise<Trajectory>;

export interface RunRolloutsOptions {
  prompts: Iterable<Task> | AsyncIterable<Task>;
  /** G: rollouts per prompt (paper: 4). */
  groupSize: number;
  /** The reward; default the `preset`'s (with `trajectoryModel`). */
  reward?: Reward;
  /** Reward preset when no `reward` is given (default `paper`); recorded in every rollout. */
  preset?: RewardPresetName;
  /** The RM for the preset's reward. */
  trajectoryModel?: TrajectoryScorer | null;
  /** RM calibration for the preset's reward (not allowed with `paper`: see `RmCalibration`). */
  trajectoryModelCalibration?: RmCalibration | null;
  outDir: string;
  /** The policy (any `ai` SDK model, e.g. `createOpenAI({ baseURL }).chat(id)` for vLLM). */
  model?: GenerateTrajectoryOptions['model'];
  tools?: ReadonlyArray<ToolRuntime>;
  /**
   * Passed to `generateTrajectory` (protocol, maxToolCalls, sampling, instructions, retry, ...).
   * `sampling.seed` is the run's: rollout i of a prompt's group is drawn with
   * `sampleSeed({ runSeed: seed, taskId: task.id, index: i })` (`@autotraj/trajectory`), and
   * each record's `metadata.seedDerivation` names the rule. Without a seed none is sent.
   */
  generation?: Omit<GenerateTrajectoryOptions, 'model' | 'task' | 'tools' | 'salt' | 'origin'>;
  /** Replace the generation loop (simulations, other frameworks). */
  generate?: GenerateRollout;
  /** Rollouts generating at once (default 8). */
  concurrency?: number;
  /** Trajectories per reward call (default 32); a partial batch goes out when generation idles. */
  rewardBatchSize?: number;
  /** A partial reward batch waits at most this long (default 50 ms). */
  rewardMaxWaitMs?: number;
  advantage?: GroupAdvantageOptions;
  /**
   * Distinguishes groups of the same prompt across runs / epochs (default ''). Not a setting:
   * one directory may hold the groups of several tags.
   */
  runTag?: string;
  /**
   * Settings of the caller's that make a rerun the same run, beside the ones rollouts know
   * (model, group size, reward preset, protocol, prompt, sampling, tools, tool budget,
   * advantage estimator): the reward model's file hash, the prompts file's. They are recorded
   * in `outDir/settings.json` before any work; resuming the directory with any of them
   * different throws `RunSettingsMismatchError` (`@autotraj/trajectory`) naming each, and
   * nothing changes. A second process on the same directory gets `RunLockedError`.
   */
  settings?: RunSettings;
  /** Start afresh even if `outDir` holds rollouts made with other settings (moved aside first). */
  forceNew?: boolean;
  onGroup?: (records: RolloutRecord[]) => void;
}

export interface RolloutSummary {
  /** The reward preset that ran (null: a custom reward without one). */
  rewardPreset: RewardPresetName | null;
  /** Groups written by this run. */
  groups: number;
  rollouts: number;
  /** Groups already complete in `outDir` (resume). */
  resumedGroups: number;
  /** Groups whose generation or reward failed (not written: a resume retries them). */
  failedGroups: number;
  /** Written groups where every rollout got the same reward (dynamic sampling would drop them). */
  zeroVarianceGroups: number;
  meanReward: number;
  rewardBatches: number;
  durationMs: number;
  errors: Array<{ groupId: string; message: string }>;
  path: string;
}

interface Pending {
  groupId: string;
  task: Task;
  /** What the policy was prompted with (null: a custom `generate`, or no template). */
  turns: PromptTurns | null;
  goldAnswers: ReadonlyArray<string>;
  trajectories: Array<Trajectory | undefined>;
  rewards: Array<RewardBreakdown | undefined>;
  remaining: number;
  failed: boolean;
}

export const ROLLOUTS_FILE = RUN_FILES.rollouts;

/** `task.id` plus the run tag: one group of G rollouts per prompt per run. */
export function rolloutGroupId(taskId: string, runTag = ''): string {
  return runTag === '' ? taskId : `${taskId}#${runTag}`;
}

/**
 * G rollouts per prompt through the TIR generation loop; finished rollouts are rewarded in
 * batches while others are still generating; when a group's rewards are in, its advantages
 * are computed and its G `RolloutRecord`s appended to `outDir/rollouts.jsonl`. Resumable:
 * complete groups already in the file are skipped.
 */
export async function runRollouts(options: RunRolloutsOptions): Promise<RolloutSummary> {
  const resolved = resolveRolloutOptions(options);
  const { groupSize: G, concurrency, reward, rewardPreset } = resolved;
  const batchSize = resolved.rewardBatchSize;
  const maxWaitMs = resolved.rewardMaxWaitMs;
  const generate = options.generate ?? defaultGenerate(options, resolved.tools);
  // Records say how their seeds were derived, so rollouts under an older rule are told apart.
  const seedDerivation =
    options.generate === undefined && options.generation?.sampling?.seed !== undefined
      ? SAMPLE_SEED_DERIVATION
      : null;
  const path = join(options.outDir, ROLLOUTS_FILE);
  const started = performance.now();

  const runDir = openRunDir({
    dir: options.outDir,
    command: 'rollout',
    settings: { ...rolloutRunSettings(options, resolved), ...options.settings },
    forceNew: resolved.forceNew,
  });
  try {
    return await rollOut();
  } finally {
    runDir.close();
  }

  async function rollOut(): Promise<RolloutSummary> {
    const existing = await readRollouts(path);
    const done = new Set([...existing.groupSizes].filter(([, n]) => n >= G).map(([id]) => id));
    const writer = createJsonlWriter(path, { schema: rolloutRecordSchema });
    const summary: RolloutSummary = {
      groups: 0,
      rollouts: 0,
      resumedGroups: 0,
      failedGroups: 0,
      zeroVarianceGroups: 0,
      meanReward: 0,
      rewardBatches: 0,
      rewardPreset,
      durationMs: 0,
      errors: [],
      path,
    };
    let rewardSum = 0;

    // Finished rollouts waiting for a reward call.
    let queue: Array<{ group: Pending; index: number }> = [];
    let rewarding: Promise<void> = Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    let generating = 0;

    const failGroup = (group: Pending, error: unknown) => {
      if (group.failed) return;
      group.failed = true;
      summary.failedGroups++;
      summary.errors.push({
        groupId: group.groupId,
        message: error instanceof Error ? error.message : String(error),
      });
    };

    const completeGroup = (group: Pending) => {
      const rewards = group.rewards as RewardBreakdown[];
      const totals = rewards.map((r) => r.total);
      const advantages = groupAdvantages(totals, resolved.advantage);
      const zeroVariance = isZeroVarianceGroup(totals);
      const records = group.trajectories.map((trajectory, i): RolloutRecord => {
        const format = trajectory!.provenance.format;
        const codec = getTextCodec(format !== undefined && isTextFormat(format) ? format : 'tags');
        return {
          id: `${group.groupId}/${i}`,
          taskId: group.task.id,
          groupId: group.groupId,
          rolloutIndex: i,
          prompt: group.task.question,
          ...(group.turns === null ? {} : { promptTurns: group.turns }),
          trajectory: trajectory!,
          reward: rewards[i]!,
          advantage: advantages[i]!,
          rendered: renderWithLossMask(trajectory!.steps, codec),
          metadata: {
            zeroVarianceGroup: zeroVariance,
            dataSource: group.task.dataSource,
            rewardPreset: summary.rewardPreset,
            ...(seedDerivation === null ? {} : { seedDerivation }),
          },
        };
      });
      for (const record of records) writer.write(record);
      summary.groups++;
      summary.rollouts += records.length;
      if (zeroVariance) summary.zeroVarianceGroups++;
      for (const t of totals) rewardSum += t;
      options.onGroup?.(records);
    };

    const flush = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (queue.length === 0) return;
      const batch = queue.filter((q) => !q.group.failed);
      queue = [];
      if (batch.length === 0) return;
      // One reward call at a time, chained; generation goes on meanwhile.
      rewarding = rewarding.then(async () => {
        summary.rewardBatches++;
        let rewards: RewardBreakdown[];
        try {
          rewards = await reward.score(
            sealRewardBatch(
              batch.map(({ group, index }) => ({
                trajectory: group.trajectories[index]!,
                question: group.task.question,
                goldAnswers: group.goldAnswers,
                dataSource: group.task.dataSource,
              })),
            ),
          );
        } catch (error) {
          // A reward failure (e.g. the RM) fails these groups only; a resume retries them.
          for (const { group } of batch) failGroup(group, error);
          return;
        }
        // Outside the try: a failure to write is fatal, not a failed group.
        batch.forEach(({ group, index }, k) => {
          group.rewards[index] = rewards[k]!;
          if (--group.remaining === 0 && !group.failed) completeGroup(group);
        });
      });
      // Awaited when the run ends; if the run has already failed (and closed its writer), a
      // later link's rejection must not surface as an unhandled one.
      rewarding.catch(() => {});
    };

    // A counting semaphore over rollouts in generation.
    const waiters: Array<() => void> = [];
    const acquire = () =>
      generating < concurrency
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push(resolve));
    const release = () => {
      generating--;
      const next = waiters.shift();
      if (next !== undefined) next();
      // Nothing generating: a partial batch would otherwise wait for the timer.
      else if (generating === 0) flush();
    };

    // The turns the default generation prompts with, recorded so a trainer prompts the same way.
    const promptTurnsOf = (task: Task): PromptTurns | null => {
      if (options.generate !== undefined) return null;
      return generationPromptTurns({
        ...options.generation,
        question: task.question,
        toolNames: resolved.tools.map((tool) => tool.name),
      });
    };
    const inflight = new Set<Promise<void>>();
    try {
      for await (const task of options.prompts) {
        const groupId = rolloutGroupId(task.id, resolved.runTag);
        if (done.has(groupId)) {
          summary.resumedGroups++;
          continue;
        }
        done.add(groupId);
        const group: Pending = {
          groupId,
          task,
          turns: promptTurnsOf(task),
          // A frozen copy: the task may be the caller's object, and a sealed batch holds this.
          goldAnswers: Object.freeze([...task.goldAnswers]),
          trajectories: Array(G),
          rewards: Array(G),
          remaining: G,
          failed: false,
        };
        for (let i = 0; i < G; i++) {
          await acquire();
          if (group.failed) break;
          generating++;
          const job = generate(task, { rolloutIndex: i, groupId }).then(
            (trajectory) => {
              group.trajectories[i] = trajectory;
              queue.push({ group, index: i });
              release();
              if (queue.length >= batchSize) flush();
              else if (timer === undefined && queue.length > 0)
                timer = setTimeout(flush, maxWaitMs);
            },
            (error: unknown) => {
              failGroup(group, error);
              release();
            },
          );
          const tracked = job.finally(() => inflight.delete(tracked));
          inflight.add(tracked);
        }
      }
      await Promise.all(inflight);
      flush();
      await rewarding;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      writer.close();
    }
    summary.meanReward = summary.rollouts === 0 ? 0 : rewardSum / summary.rollouts;
    summary.durationMs = performance.now() - started;
    return summary;
  }
}

/** What the library knows of a rollout run's settings; sampling flattened so a refusal names `temperature`. */
function rolloutRunSettings(
  options: RunRolloutsOptions,
  resolved: ResolvedRolloutOptions,
): RunSettings {
  const generation = options.generation ?? {};
  const sampling = generation.sampling ?? {};
  return {
    model:
      options.generate !== undefined
        ? 'custom generate'
        : (generation.modelName ??
          (options.model === undefined ? null : modelNameOf(options.model))),
    groupSize: resolved.groupSize,
    preset: resolved.rewardPreset,
    protocol: resolved.protocol,
    prompt:
      generation.promptTemplate !== undefined
        ? promptRef(generation.promptTemplate)
        : generation.instructions !== undefined
          ? { custom: generation.instructions }
          : null,
    temperature: sampling.temperature ?? null,
    topP: sampling.topP ?? null,
    maxTokens: sampling.maxOutputTokens ?? null,
    seed: sampling.seed ?? null,
    tools: resolved.tools.map((tool) => tool.name),
    maxToolCalls: resolved.maxToolCalls,
    estimator: resolved.advantage.estimator,
  };
}

function defaultGenerate(
  options: RunRolloutsOptions,
  tools: ReadonlyArray<ToolRuntime>,
): GenerateRollout {
  if (options.model === undefined) {
    throw new RlConfigError({
      option: 'model',
      message: 'runRollouts needs a policy `model` (or a `generate` function)',
    });
  }
  const model = options.model;
  const sampling = options.generation?.sampling;
  return (task, { rolloutIndex, groupId }) =>
    generateTrajectory({
      ...options.generation,
      // A seed is the run's: rollout i samples with sampleSeed(seed, task id, i), so a group is
      // G different samples, rollout i of one prompt is not one correlated draw repeated over
      // every prompt (as seed + i was), and a seeded or replayed policy gives the same groups.
      ...(sampling?.seed === undefined
        ? {}
        : {
            sampling: {
              ...sampling,
              seed: sampleSeed({ runSeed: sampling.seed, taskId: task.id, index: rolloutIndex }),
            },
          }),
      model,
      task,
      tools,
      origin: 'rollout',
      salt: `${groupId}/${rolloutIndex}`,
    });
}
