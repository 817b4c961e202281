import { type Protocol, readTasksJsonl } from '@autotraj/generation';
import { openTrajectoryScorer } from '@autotraj/reward-model';
import {
  type AdvantageEstimator,
  createPresetReward,
  createRolloutTools,
  type RewardPresetName,
  type RmCalibration,
  type RolloutSummary,
  runRollouts,
  type TrajectoryScorer,
} from '@autotraj/rl';
import type { RolloutRecord } from '@autotraj/trajectory';
import { type ModelFlags, resolveCliModel } from '../model-options.js';
import { resolveCliPrompt } from '../prompt-options.js';
import { fileDigest, modelRunSettings } from './run-settings.js';
import { resolveRolloutStageOptions } from './stage-options.js';

export const ADVANTAGE_ESTIMATORS: ReadonlyArray<AdvantageEstimator> = ['grpo', 'dr-grpo', 'rloo'];

export interface RolloutStageOptions extends ModelFlags {
  /** Tasks (id, question, goldAnswers, dataSource) or GSM8K lines. */
  prompts: string;
  /** G: rollouts per prompt. */
  groupSize: number;
  /** The reward preset (default `paper`: the paper's compute_score exactly). */
  preset?: RewardPresetName;
  /** Trajectory reward model (`model.onnx`); without it the reward is format + outcome only. */
  rewardModel?: string;
  /** RM calibration (autotraj preset only; the paper preset keeps the raw score). */
  rmCalibration?: RmCalibration;
  outDir: string;
  /** Tool names (default calculator, python). */
  tools?: ReadonlyArray<string>;
  /** Defaults: concurrency 8, 3 tool calls, temperature 1, GRPO, no seed, run tag ''. */
  concurrency?: number;
  maxToolCalls?: number;
  /** The TIR protocol rollouts are generated with (default text-tags). */
  protocol?: Protocol;
  temperature?: number;
  /** Output tokens per model call (default: the server's; 512 for local: models). */
  maxTokens?: number;
  estimator?: AdvantageEstimator;
  /** The policy's prompt template, by name or JSON file (default: tags-example). */
  prompt?: string;
  limit?: number;
  seed?: number;
  runTag?: string;
  /** Start afresh even if `outDir` holds rollouts made with other settings (moved aside first). */
  forceNew?: boolean;
  onGroup?: (records: RolloutRecord[]) => void;
}

/**
 * The RL rollout stage: G rollouts per prompt from the policy, scored with the preset's reward
 * (format + outcome, plus the reward model when given), with group advantages; resumable.
 */
export async function runRolloutStage(options: RolloutStageOptions): Promise<RolloutSummary> {
  const stage = resolveRolloutStageOptions(options);
  const prompt = resolveCliPrompt(options.prompt, {
    kind: 'generation',
    protocol: stage.protocol,
    flag: '--prompt',
  });
  const resolved = await resolveCliModel(options);
  const model = resolved.model;
  const { preset, maxTokens, retry } = stage;
  const { tools, close: closeTools } = createRolloutTools([...stage.tools]);
  let scorer: TrajectoryScorer | null = null;
  try {
    // What runRollouts cannot know itself: the model file's hash, the prompts and the RM.
    const settings = {
      ...(await modelRunSettings(options, { model: resolved.modelName })),
      prompts: await fileDigest(options.prompts, '--prompts'),
      rm: options.rewardModel === undefined ? null : await fileDigest(options.rewardModel, '--rm'),
      rmCalibration:
        options.rmCalibration === undefined
          ? null
          : { center: options.rmCalibration.center, scale: options.rmCalibration.scale },
    };
    scorer =
      options.rewardModel === undefined
        ? null
        : await openTrajectoryScorer({ path: options.rewardModel });
    return await runRollouts({
      prompts: readTasksJsonl(
        options.prompts,
        options.limit === undefined ? {} : { limit: options.limit },
      ),
      groupSize: options.groupSize,
      model,
      tools,
      generation: {
        promptTemplate: prompt,
        maxToolCalls: stage.maxToolCalls,
        protocol: stage.protocol,
        modelName: resolved.modelName,
        ...(retry === undefined ? {} : { retry }),
        sampling: {
          temperature: stage.temperature,
          ...(options.seed === undefined ? {} : { seed: options.seed }),
          ...(maxTokens === undefined ? {} : { maxOutputTokens: maxTokens }),
        },
      },
      reward: createPresetReward(preset, {
        trajectoryModel: scorer,
        ...(options.rmCalibration === undefined
          ? {}
          : { trajectoryModelCalibration: options.rmCalibration }),
      }),
      preset,
      advantage: { estimator: stage.estimator },
      outDir: options.outDir,
      concurrency: stage.concurrency,
      runTag: stage.runTag,
      settings,
      forceNew: stage.forceNew,
      ...(options.onGroup === undefined ? {} : { onGroup: options.onGroup }),
    });
  } finally {
    await scorer?.close();
    await closeTools();
    await resolved.close();
  }
}
