import { readTasksJsonl } from '@autotraj/generation';
import { openTrajectoryScorer } from '@autotraj/reward-model';
import {
  createPresetReward,
  fitRmCalibration,
  type RewardItem,
  type RewardPresetName,
  rewardPresetNames,
  type TrajectoryScorer,
  trajectoryFromPolicyText,
} from '@autotraj/rl';
import { type JsonValue, RUN_DEFAULTS, type Task } from '@autotraj/trajectory';
import type { z } from 'zod';
import { CliError } from '../cli-error.js';
import { forEachInputFile } from '../input/for-each-input-file.js';
import { resolveInput, runTasksFile } from '../input/input-files.js';
import { checkFrom } from '../input/read-records.js';
import { describeKind, inputKinds, type rewardLineSchema } from '../input/record-kinds.js';
import { formatTable, println } from '../io.js';
import { choiceOption, rmCalibrationOption } from '../options.js';
import type { CliCommand } from './command.js';

type RewardLine = z.infer<typeof rewardLineSchema>;

interface RewardOptions {
  preset: RewardPresetName;
  out: string;
  rm?: string;
  rmCalibration?: { center: number; scale: number };
  from: string;
  tasks?: string;
  strict?: boolean;
}

/** What one output line stands for: its id fields plus the item the reward is computed on. */
interface Pending {
  key: Record<string, JsonValue>;
  item: RewardItem;
}

function goldOf(trajectory: RewardItem['trajectory'], task: Task | undefined): string[] {
  if (task !== undefined) return task.goldAnswers;
  const gold = trajectory.metadata.goldAnswers ?? trajectory.metadata.gold;
  if (typeof gold === 'string') return [gold];
  return Array.isArray(gold) ? gold.filter((g): g is string => typeof g === 'string') : [];
}

export const rewardCommand: CliCommand = {
  register(program, io) {
    program
      .command('reward')
      .description(
        'compute RL rewards offline, without a server: one output line per response or trajectory with the total and its components',
      )
      .argument(
        '<in.jsonl>',
        'lines of {response, gold, dataSource, rmScore?, question?, id?}, or any trajectory records autotraj reads (gold answers from --tasks), or a run directory',
      )
      .requiredOption(
        '--out <out.jsonl>',
        'rewards JSONL (overwritten); for a run directory, a directory with one file per input file',
      )
      .option(
        '--preset <name>',
        "paper (the paper's compute_score exactly) or autotraj (tool budget, math equivalence)",
        choiceOption('--preset', rewardPresetNames),
        RUN_DEFAULTS.preset,
      )
      .option('--rm <model.onnx>', 'score lines without an rmScore with this reward model')
      .option(
        '--rm-calibration <center,scale>',
        'autotraj preset: score the RM term as (rm - center) / scale; the summary prints the calibration fitted to the right answers of the input, to use on later batches. The paper preset keeps the raw score',
        rmCalibrationOption('--rm-calibration'),
      )
      .option('--from <format>', `input kind: auto or one of ${inputKinds.join(', ')}`, 'auto')
      .option(
        '--tasks <file>',
        "gold answers by taskId for trajectory records (default: the tasks file in the run's synthesis manifest)",
      )
      .option('--strict', 'stop at the first bad line')
      .action(async (input: string, options: RewardOptions) => {
        checkFrom(options.from);
        if (options.rmCalibration !== undefined && options.preset === 'paper')
          throw new CliError({
            message:
              '--rm-calibration: the paper preset uses the raw RM score, as the paper does; use --preset autotraj to calibrate',
            exitCode: 2,
          });
        const resolved = resolveInput(input);
        const tasksPath = options.tasks ?? runTasksFile(input);
        const tasks = new Map<string, Task>();
        if (tasksPath !== null) {
          if (options.tasks === undefined)
            println(
              io.stderr,
              `autotraj reward: gold answers from ${tasksPath} (the run's manifest)`,
            );
          for await (const task of readTasksJsonl(tasksPath)) tasks.set(task.id, task);
        }
        const scorer: TrajectoryScorer | null =
          options.rm === undefined ? null : await openTrajectoryScorer({ path: options.rm });
        const reward = createPresetReward(options.preset, {
          trajectoryModel: scorer,
          trajectoryModelCalibration: options.rmCalibration ?? null,
        });
        try {
          await forEachInputFile({
            io,
            command: 'reward',
            input: resolved,
            flags: options,
            heading: true,
            async read({ file, records, openOutput }) {
              const writer = openOutput();
              let lines = 0;
              let sum = 0;
              let badFormat = 0;
              let noGold = 0;
              // Raw RM scores of the right answers: what a calibration for later batches is fitted to.
              const rightScores: number[] = [];
              // Items are scored in batches so the RM sees many at once.
              let batch: Pending[] = [];
              const flush = async () => {
                const results = await reward.scoreDetailed!(batch.map((p) => p.item));
                results.forEach((result, k) => {
                  const { key } = batch[k]!;
                  const formatOk = result.formatReason === null;
                  if (!formatOk) badFormat++;
                  sum += result.total;
                  const rm = result.components.trajectoryModel;
                  if (rm !== undefined && (result.components.outcome ?? 0) > 0)
                    rightScores.push(rm);
                  writer.write({
                    ...key,
                    preset: options.preset,
                    total: result.total,
                    formatOk,
                    formatReason: result.formatReason,
                    answer: result.answer,
                    outcome: result.components.outcome ?? 0,
                    rmScore: result.components.trajectoryModel ?? null,
                    rmBonus: result.components.trajectoryModelBonus ?? 0,
                    components: result.components,
                  });
                });
                lines += batch.length;
                batch = [];
              };
              for await (const record of records) {
                if (record.kind === 'reward-lines') {
                  const value = record.value as RewardLine;
                  batch.push({
                    key: value.id === undefined ? { line: record.line } : { id: value.id },
                    item: {
                      trajectory: trajectoryFromPolicyText(value.response, {
                        id: value.id ?? `line-${record.line}`,
                        ...(value.question === undefined ? {} : { question: value.question }),
                      }),
                      text: value.response,
                      goldAnswers: (Array.isArray(value.gold) ? value.gold : [value.gold]).map(
                        String,
                      ),
                      dataSource: value.dataSource ?? 'unknown',
                      ...(value.question === undefined ? {} : { question: value.question }),
                      ...(value.rmScore === undefined
                        ? {}
                        : { trajectoryModelScore: value.rmScore }),
                    },
                  });
                } else if (record.trajectories.length === 0) {
                  throw new CliError({
                    message: `${file.path} holds ${describeKind(record.kind)}; nothing to reward`,
                  });
                }
                for (const t of record.trajectories) {
                  const task = t.task ?? record.task ?? tasks.get(t.trajectory.taskId);
                  const goldAnswers = goldOf(t.trajectory, task ?? undefined);
                  if (goldAnswers.length === 0) noGold++;
                  const dataSource =
                    task?.dataSource ??
                    (typeof record.value.metadata === 'object' &&
                    record.value.metadata !== null &&
                    typeof (record.value.metadata as Record<string, unknown>).dataSource ===
                      'string'
                      ? ((record.value.metadata as Record<string, unknown>).dataSource as string)
                      : 'unknown');
                  batch.push({
                    key: {
                      ...(typeof record.value.id === 'string' ? { id: record.value.id } : {}),
                      line: record.line,
                      ...(t.role === null ? {} : { role: t.role }),
                      trajectoryId: t.trajectory.id,
                    },
                    item: { trajectory: t.trajectory, goldAnswers, dataSource },
                  });
                }
                if (batch.length >= 256) await flush();
              }
              await flush();
              return { lines, sum, badFormat, noGold, rightScores };
            },
            report({ out }, { lines, sum, badFormat, noGold, rightScores }) {
              const rows: (string | number)[][] = [
                ['lines', lines],
                ['format violations', badFormat],
                ['mean reward', lines === 0 ? '-' : (sum / lines).toFixed(4)],
              ];
              if (noGold > 0) rows.push(['without gold answers (outcome 0)', noGold]);
              if (options.rmCalibration !== undefined)
                rows.push([
                  'RM calibration used (center,scale)',
                  `${options.rmCalibration.center},${options.rmCalibration.scale}`,
                ]);
              if (rightScores.length > 0) {
                const fit = fitRmCalibration(rightScores);
                rows.push([
                  `RM calibration of the ${rightScores.length} right answers`,
                  `${fit.center.toFixed(4)},${fit.scale.toFixed(4)}`,
                ]);
              }
              println(io.stdout, formatTable(rows, [`preset ${options.preset}`, 'value']));
              println(io.stdout, `wrote ${out}`);
            },
          });
        } finally {
          await scorer?.close();
        }
      });
  },
};
