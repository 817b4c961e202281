import { rmSync } from 'node:fs';
import {
  createPresetReward,
  openRewardModel,
  type RewardItem,
  type RewardPresetName,
  rewardPresetNames,
  type TrajectoryScorer,
  trajectoryFromPolicyText,
} from '@autotraj/rl';
import { createJsonlWriter, readJsonl } from '@autotraj/trajectory';
import { z } from 'zod';
import { formatTable, println } from '../io.js';
import { choiceOption } from '../options.js';
import type { CliCommand } from './command.js';

/** One line to reward: the policy's response, its gold answer(s), data source and RM score. */
const rewardLineSchema = z.object({
  id: z.string().optional(),
  response: z.string(),
  gold: z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]),
  dataSource: z.string().default('unknown'),
  question: z.string().optional(),
  /** The trajectory RM's score; without it (and without --rm) there is no RM term. */
  rmScore: z.number().optional(),
});

interface RewardOptions {
  preset: RewardPresetName;
  out: string;
  rm?: string;
}

export const rewardCommand: CliCommand = {
  register(program, io) {
    program
      .command('reward')
      .description(
        'compute RL rewards offline, without a server: one output line per input line with the total and its components',
      )
      .argument('<in.jsonl>', 'lines of {response, gold, dataSource, rmScore?, question?, id?}')
      .requiredOption('--out <out.jsonl>', 'rewards JSONL, one line per input line (overwritten)')
      .option(
        '--preset <name>',
        "paper (the paper's compute_score exactly) or autotraj (tool budget, math equivalence)",
        choiceOption('--preset', rewardPresetNames),
        'paper',
      )
      .option('--rm <model.onnx>', 'score lines without an rmScore with this reward model')
      .action(async (input: string, options: RewardOptions) => {
        const scorer: TrajectoryScorer | null =
          options.rm === undefined ? null : await openRewardModel({ path: options.rm });
        const reward = createPresetReward(options.preset, { trajectoryModel: scorer });
        rmSync(options.out, { force: true });
        const writer = createJsonlWriter(options.out);
        let lines = 0;
        let sum = 0;
        let badFormat = 0;
        try {
          // Lines are scored in batches so the RM sees many at once.
          let batch: Array<{ line: number; value: z.infer<typeof rewardLineSchema> }> = [];
          const flush = async () => {
            const items: RewardItem[] = batch.map(({ line, value }) => ({
              trajectory: trajectoryFromPolicyText(value.response, {
                id: value.id ?? `line-${line}`,
                ...(value.question === undefined ? {} : { question: value.question }),
              }),
              text: value.response,
              goldAnswers: (Array.isArray(value.gold) ? value.gold : [value.gold]).map(String),
              dataSource: value.dataSource,
              ...(value.question === undefined ? {} : { question: value.question }),
              ...(value.rmScore === undefined ? {} : { trajectoryModelScore: value.rmScore }),
            }));
            const results = await reward.scoreDetailed!(items);
            results.forEach((result, k) => {
              const { line, value } = batch[k]!;
              const formatOk = result.formatReason === null;
              if (!formatOk) badFormat++;
              sum += result.total;
              writer.write({
                ...(value.id === undefined ? { line } : { id: value.id }),
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
          for await (const { value, line } of readJsonl(input, { schema: rewardLineSchema })) {
            batch.push({ line, value });
            if (batch.length >= 256) await flush();
          }
          await flush();
        } finally {
          writer.close();
          await scorer?.close();
        }
        println(
          io.stdout,
          formatTable(
            [
              ['lines', lines],
              ['format violations', badFormat],
              ['mean reward', lines === 0 ? '-' : (sum / lines).toFixed(4)],
            ],
            [`preset ${options.preset}`, 'value'],
          ),
        );
        println(io.stdout, `wrote ${options.out}`);
      });
  },
};
