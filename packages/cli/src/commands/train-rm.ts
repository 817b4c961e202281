import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  exportOnnx,
  histogram,
  lengthBaseline,
  pairwiseAccuracy,
  readPreferencePairs,
  rocAuc,
  scoreWithModel,
  splitPairsByTask,
  trainRewardModel,
} from '@autotraj/reward-model';
import { isTextFormat, type PreferencePair } from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';
import { formatTable, println } from '../io.js';
import { parseNumber } from '../options.js';
import type { CliCommand } from './command.js';

interface TrainRmOptions {
  pairs: string;
  out: string;
  format: string;
  epochs: string;
  seed: string;
  validationSplit: string;
  batchSize: string;
  learningRate: string;
  weightDecay: string;
  buckets: string;
}

function scores(
  model: Parameters<typeof scoreWithModel>[0],
  pairs: PreferencePair[],
  side: 'chosen' | 'rejected',
): Float32Array {
  return scoreWithModel(
    model,
    pairs.map((p) => ({ question: p.question, trajectory: p[side] })),
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
        'auto',
      )
      .option('--epochs <n>', 'maximum epochs (early stopping on the validation split)', '30')
      .option('--seed <n>', 'seed for the split, initialisation and shuffling', '1')
      .option('--validation-split <fraction>', 'fraction of tasks held out for validation', '0.15')
      .option('--batch-size <n>', 'pairs per mini-batch', '32')
      .option('--learning-rate <lr>', 'Adam learning rate', '0.003')
      .option('--weight-decay <wd>', 'decoupled weight decay', '0.01')
      .option('--buckets <n>', 'hash buckets of the n-gram embedding table', '65536')
      .action(async (options: TrainRmOptions) => {
        if (options.format !== 'auto' && !isTextFormat(options.format)) {
          throw new CliError({
            message: `unknown --format "${options.format}"; expected auto, tags, markdown-tir or gsm8k-calculator`,
            exitCode: 2,
          });
        }
        const seed = parseNumber('--seed', options.seed, { integer: true });
        const validationSplit = parseNumber('--validation-split', options.validationSplit);
        if (!(validationSplit >= 0 && validationSplit < 1))
          throw new CliError({ message: '--validation-split must be in [0, 1)', exitCode: 2 });
        const pairs = await readPreferencePairs(
          options.pairs,
          options.format === 'auto' ? {} : { format: options.format },
        );
        if (pairs.length === 0)
          throw new CliError({ message: `${options.pairs}: no preference pairs` });
        const [train = [], validation = []] =
          validationSplit > 0
            ? splitPairsByTask(pairs, { fractions: [1 - validationSplit, validationSplit], seed })
            : [pairs, []];
        // One task only: nothing to hold out, so train on everything rather than fail.
        const trainPairs = train.length === 0 ? validation : train;
        const validationPairs = train.length === 0 ? [] : validation;
        const { model, report } = trainRewardModel({
          pairs: trainPairs,
          validationPairs,
          seed,
          epochs: parseNumber('--epochs', options.epochs, { integer: true }),
          batchSize: parseNumber('--batch-size', options.batchSize, { integer: true }),
          learningRate: parseNumber('--learning-rate', options.learningRate),
          weightDecay: parseNumber('--weight-decay', options.weightDecay),
          featurizer: { numBuckets: parseNumber('--buckets', options.buckets, { integer: true }) },
        });
        await mkdir(options.out, { recursive: true });
        const modelPath = join(options.out, 'model.onnx');
        const exported = await exportOnnx(model, {
          path: modelPath,
          metadata: { 'autotraj.pairs_file': options.pairs },
        });
        let heldOut: Record<string, unknown> | null = null;
        if (validationPairs.length > 0) {
          const chosen = scores(model, validationPairs, 'chosen');
          const rejected = scores(model, validationPairs, 'rejected');
          const all = [...chosen, ...rejected];
          const range = { bins: 20, min: Math.min(...all), max: Math.max(...all) };
          heldOut = {
            pairs: validationPairs.length,
            pairwiseAccuracy: pairwiseAccuracy(chosen, rejected),
            rocAuc: rocAuc(all, [
              ...Array.from(chosen, () => true),
              ...Array.from(rejected, () => false),
            ]),
            lengthBaselineAccuracy: lengthBaseline(trainPairs, validationPairs).accuracy,
            histograms: { chosen: histogram(chosen, range), rejected: histogram(rejected, range) },
          };
        }
        const reportPath = join(options.out, 'training-report.json');
        await writeFile(
          reportPath,
          `${JSON.stringify({ ...report, heldOut, model: { path: modelPath, bytes: exported.bytes } }, null, 2)}\n`,
        );
        const fmt = (x: unknown) => (typeof x === 'number' ? x.toFixed(3) : 'n/a');
        println(
          io.stdout,
          formatTable(
            [
              ['pairs (train / held out)', `${trainPairs.length} / ${validationPairs.length}`],
              ['epochs (best)', `${report.epochsRun} (${report.bestEpoch})`],
              ['train accuracy', fmt(report.trainAccuracy)],
              ['held-out accuracy', fmt(heldOut?.pairwiseAccuracy)],
              ['length baseline', fmt(heldOut?.lengthBaselineAccuracy)],
              ['model', modelPath],
              ['report', reportPath],
            ],
            ['train-rm', ''],
          ),
        );
      });
  },
};
