import {
  type AdvantageEstimator,
  createPaperReward,
  createPolicyModel,
  createRolloutTools,
  openRewardModel,
  type RolloutSummary,
  readPrompts,
  runRollouts,
  type TrajectoryScorer,
} from '@autotraj/rl';
import type { RolloutRecord } from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';

export const ADVANTAGE_ESTIMATORS: ReadonlyArray<AdvantageEstimator> = ['grpo', 'dr-grpo', 'rloo'];

export interface RolloutStageOptions {
  /** Tasks (id, question, goldAnswers, dataSource) or GSM8K lines. */
  prompts: string;
  /** G: rollouts per prompt. */
  groupSize: number;
  /** Policy model id (e.g. the vLLM served model name). */
  model: string;
  /** OpenAI-compatible base URL (default: $OPENAI_BASE_URL). */
  baseUrl?: string;
  /** Default: $OPENAI_API_KEY. */
  apiKey?: string;
  /** Answer from a recorded cassette instead of a live server. */
  cassette?: string;
  /** Trajectory reward model (`model.onnx`); without it the reward is format + outcome only. */
  rewardModel?: string;
  outDir: string;
  /** Tool names (default calculator, python). */
  tools?: ReadonlyArray<string>;
  /** Defaults: concurrency 8, 3 tool calls, temperature 1, GRPO, no seed, run tag ''. */
  concurrency?: number;
  maxToolCalls?: number;
  temperature?: number;
  estimator?: AdvantageEstimator;
  limit?: number;
  seed?: number;
  runTag?: string;
  onGroup?: (records: RolloutRecord[]) => void;
}

/**
 * The RL rollout stage: G rollouts per prompt from the policy, scored with the paper reward
 * (format + outcome, plus the reward model when given), with group advantages; resumable.
 */
export async function runRolloutStage(options: RolloutStageOptions): Promise<RolloutSummary> {
  const baseURL = options.baseUrl ?? process.env.OPENAI_BASE_URL;
  if (options.cassette === undefined && baseURL === undefined) {
    throw new CliError({
      message:
        'give --base-url (or $OPENAI_BASE_URL) for a live policy, or --cassette to replay one',
      exitCode: 2,
    });
  }
  const apiKey = options.apiKey ?? process.env.OPENAI_API_KEY;
  const model = createPolicyModel({
    model: options.model,
    ...(baseURL === undefined ? {} : { baseURL }),
    ...(apiKey ? { apiKey } : {}),
    ...(options.cassette === undefined ? {} : { cassette: options.cassette }),
  });
  const { tools, close: closeTools } = createRolloutTools([
    ...(options.tools ?? ['calculator', 'python']),
  ]);
  let scorer: TrajectoryScorer | null = null;
  try {
    scorer =
      options.rewardModel === undefined
        ? null
        : await openRewardModel({ path: options.rewardModel });
    return await runRollouts({
      prompts: readPrompts(
        options.prompts,
        options.limit === undefined ? {} : { limit: options.limit },
      ),
      groupSize: options.groupSize,
      model,
      tools,
      generation: {
        maxToolCalls: options.maxToolCalls ?? 3,
        sampling: {
          temperature: options.temperature ?? 1,
          ...(options.seed === undefined ? {} : { seed: options.seed }),
        },
      },
      reward: createPaperReward({ trajectoryModel: scorer }),
      advantage: { estimator: options.estimator ?? 'grpo' },
      outDir: options.outDir,
      concurrency: options.concurrency ?? 8,
      runTag: options.runTag ?? '',
      ...(options.onGroup === undefined ? {} : { onGroup: options.onGroup }),
    });
  } finally {
    await scorer?.close();
    await closeTools();
  }
}
