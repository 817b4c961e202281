import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  admitTrainingPairs,
  exportOnnx,
  histogram,
  holdOutPairs,
  lengthBaseline,
  pairwiseAccuracy,
  readPreferencePairs,
  rocAuc,
  scoreWithModel,
  type TrainingReport,
  trainRewardModel,
} from '@autotraj/reward-model';
import {
  type AdmissionMode,
  type AdmissionTally,
  type DroppedRecord,
  type PreferencePair,
  RUN_FILES,
  type TextFormat,
  writeFileAtomic,
  writeJsonAtomic,
} from '@autotraj/trajectory';
import { CliError } from '../cli-error.js';
import { resolveNgramRmOptions } from './train-rm-options.js';

export interface RewardModelStageOptions {
  /** Preference pairs JSONL: PreferencePair records or TRL rows. */
  pairs: string;
  outDir: string;
  /** Text format of TRL completions; default: detected per text. */
  format?: TextFormat;
  /**
   * The admission gate before the split (default `well-formed`: a pair whose chosen side the
   * gate refuses is not trained on; it goes to `outDir/dropped.jsonl`); `none`: every pair.
   */
  admission?: AdmissionMode;
  /** Defaults: `REWARD_MODEL_TRAINING_DEFAULTS` (its `ngram`) and `DEFAULT_VALIDATION_SPLIT` held out by task. */
  epochs?: number;
  seed?: number;
  validationSplit?: number;
  batchSize?: number;
  learningRate?: number;
  weightDecay?: number;
  buckets?: number;
}

export interface HeldOutFigures {
  pairs: number;
  pairwiseAccuracy: number;
  rocAuc: number;
  lengthBaselineAccuracy: number;
  histograms: { chosen: ReturnType<typeof histogram>; rejected: ReturnType<typeof histogram> };
}

export interface RewardModelStageResult {
  modelPath: string;
  reportPath: string;
  report: TrainingReport;
  trainPairs: number;
  heldOut: HeldOutFigures | null;
  /** What the admission gate did to the pairs read (also in the training report). */
  admission: AdmissionTally;
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

/** The pairs the gate refused, as `dropped.jsonl` (written on every run, empty when none). */
export function writeDroppedPairs(outDir: string, dropped: ReadonlyArray<DroppedRecord>): void {
  writeFileAtomic(
    join(outDir, RUN_FILES.dropped),
    dropped.map((record) => `${JSON.stringify(record)}\n`).join(''),
  );
}

/**
 * The reward-model stage: the admission gate, then split the pairs by task, train the pairwise model, export
 * `model.onnx` and write `training-report.json` (with held-out figures when a split is held out).
 */
export async function runRewardModelStage(
  options: RewardModelStageOptions,
): Promise<RewardModelStageResult> {
  const settings = resolveNgramRmOptions(options);
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
  const { train: trainPairs, validation: validationPairs } = holdOutPairs(gated.admitted, {
    validationSplit: settings.validationSplit,
    seed: settings.seed,
  });
  const { model, report } = trainRewardModel({
    pairs: trainPairs,
    validationPairs,
    seed: settings.seed,
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    weightDecay: settings.weightDecay,
    featurizer: { numBuckets: settings.buckets },
  });
  await mkdir(options.outDir, { recursive: true });
  const modelPath = join(options.outDir, RUN_FILES.rewardModel);
  const exported = await exportOnnx(model, {
    path: modelPath,
    metadata: { 'autotraj.pairs_file': options.pairs },
  });
  let heldOut: HeldOutFigures | null = null;
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
  writeDroppedPairs(options.outDir, gated.dropped);
  const reportPath = join(options.outDir, RUN_FILES.trainingReport);
  writeJsonAtomic(reportPath, {
    ...report,
    heldOut,
    admission: gated.tally,
    model: { path: modelPath, bytes: exported.bytes },
  });
  return {
    modelPath,
    reportPath,
    report,
    trainPairs: trainPairs.length,
    heldOut,
    admission: gated.tally,
  };
}
