import {
  type AdvantageEstimator,
  createPresetReward,
  createRolloutTools,
  openRewardModel,
  type RewardPresetName,
  readPrompts,
  rewardPresetNames,
  runRollouts,
  type TrajectoryScorer,
} from '@autotraj/rl';
import { CliError } from '../cli-error.js';
import { formatTable, println } from '../io.js';
import { addModelOptions, MODEL_HELP, type ModelFlags, resolveCliModel } from '../model-options.js';
import { choiceOption, parseInteger } from '../options.js';
import type { CliCommand } from './command.js';

interface RolloutOptions extends ModelFlags {
  prompts: string;
  groupSize: string;
  rm?: string;
  out: string;
  tools: string;
  concurrency: string;
  maxToolCalls: string;
  temperature: string;
  estimator: string;
  limit?: string;
  seed?: string;
  runTag: string;
  preset: RewardPresetName;
}

const estimators: AdvantageEstimator[] = ['grpo', 'dr-grpo', 'rloo'];

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
      .requiredOption('--group-size <G>', 'rollouts per prompt (paper: 4)')
      .option(
        '--rm <model.onnx>',
        'trajectory reward model (dir/model.onnx from `autotraj train-rm`); without it the reward is format + outcome only',
      )
      .requiredOption('--out <dir>', 'output directory (rollouts.jsonl; rerun to resume)')
      .option(
        '--preset <name>',
        "reward preset: paper (the paper's compute_score exactly) or autotraj (tool budget, math equivalence)",
        choiceOption('--preset', rewardPresetNames),
        'paper',
      )
      .option('--tools <names>', 'comma-separated tools: calculator, python', 'calculator,python')
      .option('--concurrency <n>', 'rollouts generating at once', '8')
      .option('--max-tool-calls <n>', 'tool budget per rollout (paper: 3)', '3')
      .option('--temperature <t>', 'sampling temperature', '1')
      .option('--estimator <name>', `advantage estimator: ${estimators.join(', ')}`, 'grpo')
      .option('--limit <n>', 'only the first n prompts')
      .option('--seed <n>', 'base sampling seed: rollout i of a group samples with seed n+i')
      .option(
        '--run-tag <tag>',
        'distinguishes groups of the same prompt across runs / epochs',
        '',
      );
    addModelOptions(command).action(async (options: RolloutOptions) => {
      const groupSize = parseInteger('--group-size', options.groupSize, 1);
      const concurrency = parseInteger('--concurrency', options.concurrency, 1);
      const maxToolCalls = parseInteger('--max-tool-calls', options.maxToolCalls, 0);
      const temperature = Number(options.temperature);
      if (!Number.isFinite(temperature) || temperature < 0)
        throw new CliError({
          message: `--temperature must be >= 0, got "${options.temperature}"`,
          exitCode: 2,
        });
      if (!(estimators as string[]).includes(options.estimator)) {
        throw new CliError({
          message: `--estimator must be one of ${estimators.join(', ')}, got "${options.estimator}"`,
          exitCode: 2,
        });
      }
      if (options.model === undefined && options.replay === undefined)
        throw new CliError({
          message: `give --model (${MODEL_HELP}) for the policy, or --replay <cassette>`,
          exitCode: 2,
        });
      const resolved = await resolveCliModel(options);
      const model = resolved.model;
      const toolNames = options.tools
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== '');
      const { tools, close: closeTools } = createRolloutTools(toolNames);
      let scorer: TrajectoryScorer | null = null;
      try {
        scorer = options.rm === undefined ? null : await openRewardModel({ path: options.rm });
        const summary = await runRollouts({
          prompts: readPrompts(
            options.prompts,
            options.limit === undefined ? {} : { limit: parseInteger('--limit', options.limit, 1) },
          ),
          groupSize,
          model,
          tools,
          generation: {
            maxToolCalls,
            modelName: resolved.modelName,
            sampling: {
              temperature,
              ...(options.seed === undefined
                ? {}
                : { seed: parseInteger('--seed', options.seed, 0) }),
            },
          },
          reward: createPresetReward(options.preset, { trajectoryModel: scorer }),
          preset: options.preset,
          advantage: { estimator: options.estimator as AdvantageEstimator },
          outDir: options.out,
          concurrency,
          runTag: options.runTag,
          onGroup: (records) => {
            if (io.interactive)
              io.stderr.write(
                `\r${records[0]!.groupId}: ${records.map((r) => r.reward.total.toFixed(2)).join(' ')}   `,
              );
          },
        });
        println(
          io.stdout,
          formatTable([
            ['groups written', summary.groups],
            ['rollouts written', summary.rollouts],
            ['groups already done (resume)', summary.resumedGroups],
            ['groups failed', summary.failedGroups],
            ['zero-variance groups', summary.zeroVarianceGroups],
            ['mean reward', Number(summary.meanReward.toFixed(4))],
            ['reward batches', summary.rewardBatches],
            ['seconds', Number((summary.durationMs / 1000).toFixed(1))],
          ]),
        );
        println(io.stdout, `wrote ${summary.path}`);
        for (const error of summary.errors)
          println(io.stderr, `autotraj rollout: group ${error.groupId} failed: ${error.message}`);
        if (summary.failedGroups > 0) {
          throw new CliError({
            message: `${summary.failedGroups} group(s) failed; rerun the same command to retry them`,
          });
        }
      } finally {
        await scorer?.close();
        await closeTools();
        await resolved.close();
      }
    });
  },
};
