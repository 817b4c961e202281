import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  admitTrainingPairs,
  holdOutPairs,
  lengthBaseline,
  openTrajectoryScorer,
  pairwiseAccuracy,
  readPreferencePairs,
  rocAuc,
  type TransformerTrainingSummary,
  trainTransformerRewardModel,
} from '@autotraj/reward-model';
import {
  type AdmissionMode,
  type AdmissionTally,
  RUN_FILES,
  type TextFormat,
  writeJsonAtomic,
} from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';
import { writeDroppedPairs } from './reward-model-stage.js';
import { resolveTrlRmOptions } from './train-rm-options.js';

export interface TransformerRmStageOptions {
  pairs: string;
  outDir: string;
  /** Text format of TRL completions in the pairs file; default: detected per text. */
  format?: TextFormat;
  /** The admission gate before the split, as `runRewardModelStage` applies it (default `well-formed`). */
  admission?: AdmissionMode;
  /** `minilm` (the default) or a Hugging Face model directory. */
  base?: string;
  epochs?: number;
  maxSteps?: number;
  maxLength?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  validationSplit?: number;
  lora?: boolean;
  onLog?: (line: string) => void;
}

export interface TransformerRmStageResult {
  modelPath: string;
  reportPath: string;
  training: TransformerTrainingSummary;
  trainPairs: number;
  heldOut: {
    pairs: number;
    pairwiseAccuracy: number;
    rocAuc: number;
    lengthBaselineAccuracy: number;
  } | null;
  /** What the admission gate did to the pairs read (also in the training report). */
  admission: AdmissionTally;
}

/**
 * `autotraj train-rm --backend trl`: the admission gate (as `runRewardModelStage`), split the pairs by task, train a transformer reward model
 * with TRL's RewardTrainer in Python, then score the held-out pairs through onnxruntime-node (the
 * exported model, as rollouts will) and add the figures to `training-report.json`.
 */
export async function runTransformerRmStage(
  options: TransformerRmStageOptions,
): Promise<TransformerRmStageResult> {
  const settings = resolveTrlRmOptions(options);
  const pairs = await readPreferencePairs(
    options.pairs,
    options.format === undefined ? {} : { format: options.format },
  );
  if (pairs.length === 0) throw new CliError({ message: `${options.pairs}: no preference pairs` });
  // Gated before the split, so the held-out figures are on admitted pairs too.
  const gated = admitTrainingPairs(
    pairs,
    options.admission === undefined ? {} : { admission: options.admission },
  );
  const { train: trainPairs, validation: heldOutPairs } = holdOutPairs(gated.admitted, {
    validationSplit: settings.validationSplit,
    seed: settings.seed,
  });
  const training = await trainTransformerRewardModel({
    pairs: trainPairs,
    outDir: options.outDir,
    base: settings.base,
    seed: settings.seed,
    epochs: settings.epochs,
    maxSteps: settings.maxSteps,
    maxLength: settings.maxLength,
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    lora: settings.lora,
    ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
  });
  const modelPath = join(options.outDir, RUN_FILES.rewardModel);
  const reportPath = join(options.outDir, RUN_FILES.trainingReport);
  let heldOut: TransformerRmStageResult['heldOut'] = null;
  if (heldOutPairs.length > 0) {
    const scorer = await openTrajectoryScorer({ path: modelPath });
    try {
      const score = (side: 'chosen' | 'rejected') =>
        scorer.score(heldOutPairs.map((p) => ({ question: p.question, trajectory: p[side] })));
      const chosen = await score('chosen');
      const rejected = await score('rejected');
      heldOut = {
        pairs: heldOutPairs.length,
        pairwiseAccuracy: pairwiseAccuracy(chosen, rejected),
        rocAuc: rocAuc(
          [...chosen, ...rejected],
          [...Array.from(chosen, () => true), ...Array.from(rejected, () => false)],
        ),
        lengthBaselineAccuracy: lengthBaseline(trainPairs, heldOutPairs).accuracy,
      };
    } finally {
      await scorer.close();
    }
  }
  const report = JSON.parse(await readFile(reportPath, 'utf8')) as Record<string, unknown>;
  // After training: the trainer replaces the output directory when it completes.
  writeDroppedPairs(options.outDir, gated.dropped);
  writeJsonAtomic(reportPath, {
    ...report,
    pairsFile: options.pairs,
    trainPairs: trainPairs.length,
    heldOut,
    admission: gated.tally,
  });
  return {
    modelPath,
    reportPath,
    training,
    trainPairs: trainPairs.length,
    heldOut,
    admission: gated.tally,
  };
}
