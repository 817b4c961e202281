import type { Protocol } from '@autotraj/generation';
import { RUN_DEFAULTS, type ToolRuntime } from '@autotraj/trajectory';
import type { AdvantageEstimator, GroupAdvantageOptions } from '../advantages.js';
import { RlConfigError } from '../errors.js';
import type { Reward, RewardPresetName } from '../reward/create-reward.js';
import { createPresetReward } from '../reward/paper-reward.js';
import type { RunRolloutsOptions } from './run-rollouts.js';

/** `runRollouts`' options with every default applied (`RUN_DEFAULTS`) and checked. */
export interface ResolvedRolloutOptions {
  groupSize: number;
  concurrency: number;
  tools: ReadonlyArray<ToolRuntime>;
  /** The caller's reward, or the preset's (with the trajectory model). */
  reward: Reward;
  /** The preset recorded in every rollout (null: a custom reward without one). */
  rewardPreset: RewardPresetName | null;
  rewardBatchSize: number;
  rewardMaxWaitMs: number;
  advantage: GroupAdvantageOptions & { estimator: AdvantageEstimator };
  runTag: string;
  forceNew: boolean;
  /** What the default generation loop runs with (recorded in the run's settings). */
  protocol: Protocol;
  maxToolCalls: number;
}

const positiveInteger = (option: string, value: number) => {
  if (!Number.isInteger(value) || value < 1)
    throw new RlConfigError({ option, message: `must be a positive integer, got ${value}` });
};

/**
 * Every default of a rollout run, in one place (the `prepare*` pattern of the `ai` SDK).
 * Throws `RlConfigError` naming the option for a group size or concurrency that is not a
 * positive integer, or tools that are not an array.
 */
export function resolveRolloutOptions(options: RunRolloutsOptions): ResolvedRolloutOptions {
  positiveInteger('groupSize', options.groupSize);
  // A wrong `tools` (e.g. the `{ tools, close }` of createRolloutTools) would otherwise fail
  // every group with "tools is not iterable" and still resolve.
  if (options.tools !== undefined && !Array.isArray(options.tools))
    throw new RlConfigError({
      option: 'tools',
      message:
        'must be an array of ToolRuntime (createRolloutTools(...) returns { tools, close }: pass its .tools)',
    });
  const preset = options.preset ?? RUN_DEFAULTS.preset;
  const reward =
    options.reward ??
    createPresetReward(preset, {
      trajectoryModel: options.trajectoryModel ?? null,
      trajectoryModelCalibration: options.trajectoryModelCalibration ?? null,
    });
  const concurrency = options.concurrency ?? RUN_DEFAULTS.concurrency;
  positiveInteger('concurrency', concurrency);
  return {
    groupSize: options.groupSize,
    concurrency,
    tools: options.tools ?? [],
    reward,
    rewardPreset:
      options.reward === undefined ? preset : (options.reward.preset ?? options.preset ?? null),
    rewardBatchSize: Math.max(1, options.rewardBatchSize ?? 32),
    rewardMaxWaitMs: options.rewardMaxWaitMs ?? 50,
    advantage: {
      ...options.advantage,
      estimator: options.advantage?.estimator ?? RUN_DEFAULTS.advantageEstimator,
    },
    runTag: options.runTag ?? '',
    forceNew: options.forceNew ?? false,
    protocol: options.generation?.protocol ?? RUN_DEFAULTS.protocol,
    maxToolCalls: options.generation?.maxToolCalls ?? RUN_DEFAULTS.maxToolCalls,
  };
}
