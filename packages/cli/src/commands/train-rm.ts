import { type TextFormat, textFormats } from '@autotraj/trajectory';
import { formatTable, println } from '../io.js';
import { choiceOption, integerOption, numberOption } from '../options.js';
import {
  type RewardModelStageResult,
  runRewardModelStage,
} from '../pipeline/reward-model-stage.js';
import type { CliCommand } from './command.js';

interface TrainRmOptions {
  pairs: string;
  out: string;
  format: TextFormat | 'auto';
  epochs: number;
  seed: number;
  validationSplit: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  buckets: number;
}

/** The figures `autotraj train-rm` (and `autotraj run`) print for a trained reward model. */
export function rewardModelTable(result: RewardModelStageResult): string {
  const fmt = (x: unknown) => (typeof x === 'number' ? x.toFixed(3) : 'n/a');
  const { report, heldOut } = result;
  return formatTable(
    [
      ['pairs (train / held out)', `${result.trainPairs} / ${heldOut?.pairs ?? 0}`],
      ['epochs (best)', `${report.epochsRun} (${report.bestEpoch})`],
      ['train accuracy', fmt(report.trainAccuracy)],
      ['held-out accuracy', fmt(heldOut?.pairwiseAccuracy)],
      ['length baseline', fmt(heldOut?.lengthBaselineAccuracy)],
      ['model', result.modelPath],
      ['report', result.reportPath],
    ],
    ['train-rm', ''],
  );
}

export const trainRmCommand: CliCommand = {
  register(program, io) {
    program
      .command('train-rm')
      .description(
        'train the trajectory reward model on preference pairs (ours or TRL prompt/chosen/rejected) and export ONNX',
      )
      .requiredOption(
        '--pairs <file>',
        'preference pairs JSONL: PreferencePair records or TRL rows',
      )
      .requiredOption('--out <dir>', 'output directory: model.onnx and training-report.json')
      .option(
        '--format <format>',
        'text format of TRL completions: auto (detect per text), tags, markdown-tir, gsm8k-calculator',
        choiceOption('--format', ['auto', ...textFormats] as const),
        'auto',
      )
      .option(
        '--epochs <n>',
        'maximum epochs (early stopping on the validation split)',
        integerOption('--epochs'),
        30,
      )
      .option(
        '--seed <n>',
        'seed for the split, initialisation and shuffling',
        integerOption('--seed', 0),
        1,
      )
      .option(
        '--validation-split <fraction>',
        'fraction of tasks held out for validation',
        numberOption('--validation-split', { min: 0, below: 1 }),
        0.15,
      )
      .option('--batch-size <n>', 'pairs per mini-batch', integerOption('--batch-size'), 32)
      .option(
        '--learning-rate <lr>',
        'Adam learning rate',
        numberOption('--learning-rate', { min: 0 }),
        0.003,
      )
      .option(
        '--weight-decay <wd>',
        'decoupled weight decay',
        numberOption('--weight-decay', { min: 0 }),
        0.01,
      )
      .option(
        '--buckets <n>',
        'hash buckets of the n-gram embedding table',
        integerOption('--buckets'),
        65536,
      )
      .action(async (options: TrainRmOptions) => {
        const result = await runRewardModelStage({
          pairs: options.pairs,
          outDir: options.out,
          ...(options.format === 'auto' ? {} : { format: options.format }),
          epochs: options.epochs,
          seed: options.seed,
          validationSplit: options.validationSplit,
          batchSize: options.batchSize,
          learningRate: options.learningRate,
          weightDecay: options.weightDecay,
          buckets: options.buckets,
        });
        println(io.stdout, rewardModelTable(result));
      });
  },
};
