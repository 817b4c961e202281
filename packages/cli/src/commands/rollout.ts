import { readFileSync } from 'node:fs';
import type { Protocol } from '@autotraj/generation';
import {
  type AdvantageEstimator,
  type RewardPresetName,
  type RolloutSummary,
  rewardPresetNames,
} from '@autotraj/rl';
import type { RolloutRecord } from '@autotraj/trajectory';
import { RUN_DEFAULTS } from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';
import { type CliIo, formatTable, println } from '../io.js';
import { addModelOptions, type ModelFlags, modelFlagsOf } from '../model-options.js';
import {
  choiceOption,
  FORCE_NEW_HELP,
  integerOption,
  listOption,
  numberOption,
  PROTOCOL_HELP,
  PROTOCOLS,
  rmCalibrationOption,
} from '../options.js';
import { ADVANTAGE_ESTIMATORS, runRolloutStage } from '../pipeline/rollout-stage.js';
import { createProgressBar } from '../progress.js';
import { addPromptOption } from '../prompt-options.js';
import type { CliCommand } from './command.js';

interface RolloutOptions extends ModelFlags {
  prompts: string;
  groupSize: number;
  preset: RewardPresetName;
  rm?: string;
  rmCalibration?: { center: number; scale: number };
  out: string;
  tools: string[];
  concurrency: number;
  maxToolCalls: number;
  protocol: Protocol;
  temperature: number;
  maxTokens?: number;
  estimator: AdvantageEstimator;
  limit?: number;
  seed?: number;
  runTag: string;
  prompt?: string;
  forceNew?: boolean;
}

/** The figures `autotraj rollout` (and `autotraj run`) print for a rollout stage. */
export function rolloutTable(summary: RolloutSummary): string {
  return formatTable([
    ['groups written', summary.groups],
    ['rollouts written', summary.rollouts],
    ['groups already done (resume)', summary.resumedGroups],
    ['groups failed', summary.failedGroups],
    ['zero-variance groups', summary.zeroVarianceGroups],
    ['mean reward', Number(summary.meanReward.toFixed(4))],
    ['reward batches', summary.rewardBatches],
    ['seconds', Number((summary.durationMs / 1000).toFixed(1))],
  ]);
}

/** Prompts a rollout run will take (an upper bound when it resumes); null when unreadable. */
function promptCount(path: string, limit: number | undefined): number | null {
  try {
    const n = readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '').length;
    return limit === undefined ? n : Math.min(n, limit);
  } catch {
    return null;
  }
}

/** A progress bar over rollout groups (rate, ETA) with the last group's rewards; TTY only. */
export function rolloutProgress(
  io: CliIo,
  total: number | null,
): ((records: RolloutRecord[]) => void) & { finish(): void } {
  const bar = createProgressBar(io, { unit: 'groups', total });
  let done = 0;
  const onGroup = (records: RolloutRecord[]) => {
    done++;
    bar.update(
      done,
      `${records[0]!.groupId}: ${records.map((r) => r.reward.total.toFixed(2)).join(' ')}`,
    );
    if (done === total) bar.finish();
  };
  return Object.assign(onGroup, { finish: () => bar.finish() });
}

export const rolloutCommand: CliCommand = {
  register(program, io) {
    const command = program
      .command('rollout')
      .description(
        'G rollouts per prompt from an OpenAI-compatible policy, scored with the paper reward, with GRPO advantages (resumable)',
      )
      .requiredOption(
        '--prompts <file.jsonl>',
        'tasks (id, question, goldAnswers, dataSource) or GSM8K lines',
      )
      .requiredOption(
        '--group-size <G>',
        'rollouts per prompt (paper: 4)',
        integerOption('--group-size'),
      )
      .option(
        '--preset <name>',
        "reward preset: paper (the paper's compute_score exactly) or autotraj (tool budget, math equivalence)",
        choiceOption('--preset', rewardPresetNames),
        RUN_DEFAULTS.preset,
      )
      .option(
        '--rm <model.onnx>',
        'trajectory reward model (dir/model.onnx from `autotraj train-rm`); without it the reward is format + outcome only',
      )
      .option(
        '--rm-calibration <center,scale>',
        'autotraj preset: score the RM term as (rm - center) / scale (fit center and scale to the RM scores of correct rollouts; see the rl README). The paper preset keeps the raw score',
        rmCalibrationOption('--rm-calibration'),
      )
      .requiredOption(
        '--out <dir>',
        'output directory (rollouts.jsonl; rerun with the same settings to resume, other settings are refused)',
      )
      .option('--force-new', FORCE_NEW_HELP)
      .option('--tools <names>', 'comma-separated tools: calculator, python', listOption(), [
        'calculator',
        'python',
      ])
      .option(
        '--concurrency <n>',
        'rollouts generating at once',
        integerOption('--concurrency'),
        RUN_DEFAULTS.concurrency,
      )
      .option(
        '--max-tool-calls <n>',
        'tool budget per rollout (paper: 3)',
        integerOption('--max-tool-calls', 0),
        RUN_DEFAULTS.maxToolCalls,
      )
      .option(
        '--protocol <protocol>',
        PROTOCOL_HELP,
        choiceOption('--protocol', PROTOCOLS),
        RUN_DEFAULTS.protocol,
      )
      .option(
        '--temperature <t>',
        'sampling temperature',
        numberOption('--temperature', { min: 0 }),
        RUN_DEFAULTS.rolloutTemperature,
      )
      .option(
        '--max-tokens <n>',
        "output tokens per model call (default: the server's; 512 for local: models)",
        integerOption('--max-tokens'),
      )
      .option(
        '--estimator <name>',
        `advantage estimator: ${ADVANTAGE_ESTIMATORS.join(', ')}`,
        choiceOption('--estimator', ADVANTAGE_ESTIMATORS),
        RUN_DEFAULTS.advantageEstimator,
      )
      .option('--limit <n>', 'only the first n prompts', integerOption('--limit'))
      .option(
        '--seed <n>',
        "run seed: rollout i of a prompt's group samples with a seed hashed from n, the prompt id and i",
        integerOption('--seed', 0),
      )
      .option(
        '--run-tag <tag>',
        'distinguishes groups of the same prompt across runs / epochs',
        '',
      );
    addPromptOption(addModelOptions(command)).action(async (options: RolloutOptions) => {
      const summary = await runRolloutStage({
        prompts: options.prompts,
        groupSize: options.groupSize,
        ...modelFlagsOf(options),
        preset: options.preset,
        ...(options.rm === undefined ? {} : { rewardModel: options.rm }),
        ...(options.rmCalibration === undefined ? {} : { rmCalibration: options.rmCalibration }),
        outDir: options.out,
        tools: options.tools,
        concurrency: options.concurrency,
        maxToolCalls: options.maxToolCalls,
        protocol: options.protocol,
        temperature: options.temperature,
        ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
        estimator: options.estimator,
        ...(options.limit === undefined ? {} : { limit: options.limit }),
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        runTag: options.runTag,
        forceNew: options.forceNew === true,
        ...(options.prompt === undefined ? {} : { prompt: options.prompt }),
        onGroup: rolloutProgress(io, promptCount(options.prompts, options.limit)),
      });
      println(io.stdout, rolloutTable(summary));
      println(io.stdout, `wrote ${summary.path}`);
      for (const error of summary.errors)
        println(io.stderr, `autotraj rollout: group ${error.groupId} failed: ${error.message}`);
      if (summary.failedGroups > 0) {
        throw new CliError({
          message: `${summary.failedGroups} group(s) failed; rerun the same command to retry them`,
        });
      }
    });
  },
};
