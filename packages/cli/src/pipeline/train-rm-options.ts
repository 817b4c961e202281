import { DEFAULT_VALIDATION_SPLIT, REWARD_MODEL_TRAINING_DEFAULTS } from '@autotraj/reward-model';
import type { RunSettings } from '@autotraj/trajectory';

// Every default of a reward-model training run (`autotraj train-rm`, both backends, and the
// reward-model stage of `autotraj run`) resolved in one place from the library's constants, so
// the run's recorded settings are the values it trains with: a rerun that writes a default out
// is the same run as one that leaves it to the default.

/** The numbers of a reward-model training run, each optional (the library's defaults apply). */
export interface TrainRmInput {
  backend?: 'ngram' | 'trl';
  seed?: number;
  /** Share of tasks held out (`holdOutPairs`). */
  validationSplit?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** n-gram backend only. */
  weightDecay?: number;
  buckets?: number;
  /** trl backend only. */
  base?: string;
  maxSteps?: number;
  maxLength?: number;
  lora?: boolean;
}

interface ResolvedCommon {
  seed: number;
  validationSplit: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
}

export interface ResolvedNgramRmOptions extends ResolvedCommon {
  backend: 'ngram';
  weightDecay: number;
  buckets: number;
}

export interface ResolvedTrlRmOptions extends ResolvedCommon {
  backend: 'trl';
  base: string;
  maxSteps: number;
  maxLength: number;
  lora: boolean;
}

export type ResolvedTrainRmOptions = ResolvedNgramRmOptions | ResolvedTrlRmOptions;

function resolveCommon(options: TrainRmInput, backend: 'ngram' | 'transformer'): ResolvedCommon {
  const d = REWARD_MODEL_TRAINING_DEFAULTS[backend];
  return {
    seed: options.seed ?? REWARD_MODEL_TRAINING_DEFAULTS.seed,
    validationSplit: options.validationSplit ?? DEFAULT_VALIDATION_SPLIT,
    epochs: options.epochs ?? d.epochs,
    batchSize: options.batchSize ?? d.batchSize,
    learningRate: options.learningRate ?? d.learningRate,
  };
}

/** The n-gram backend's settings with every default applied. */
export function resolveNgramRmOptions(options: TrainRmInput): ResolvedNgramRmOptions {
  const d = REWARD_MODEL_TRAINING_DEFAULTS.ngram;
  return {
    backend: 'ngram',
    ...resolveCommon(options, 'ngram'),
    weightDecay: options.weightDecay ?? d.weightDecay,
    buckets: options.buckets ?? d.numBuckets,
  };
}

/** The trl backend's settings with every default applied. */
export function resolveTrlRmOptions(options: TrainRmInput): ResolvedTrlRmOptions {
  const d = REWARD_MODEL_TRAINING_DEFAULTS.transformer;
  return {
    backend: 'trl',
    ...resolveCommon(options, 'transformer'),
    base: options.base ?? d.base,
    maxSteps: options.maxSteps ?? d.maxSteps,
    maxLength: options.maxLength ?? d.maxLength,
    lora: options.lora ?? d.lora,
  };
}

/** Every default of a train-rm run applied (the n-gram backend unless `backend` says trl). */
export function resolveTrainRmOptions(options: TrainRmInput): ResolvedTrainRmOptions {
  return options.backend === 'trl' ? resolveTrlRmOptions(options) : resolveNgramRmOptions(options);
}

/**
 * The resolved settings as train-rm records them (`settings.json`): both backends' keys, the
 * other backend's null, so a directory of one backend is not resumed by the other.
 */
export function trainRmRunSettings(resolved: ResolvedTrainRmOptions): RunSettings {
  const ngram = resolved.backend === 'ngram' ? resolved : null;
  const trl = resolved.backend === 'trl' ? resolved : null;
  return {
    backend: resolved.backend,
    seed: resolved.seed,
    validationSplit: resolved.validationSplit,
    epochs: resolved.epochs,
    batchSize: resolved.batchSize,
    learningRate: resolved.learningRate,
    weightDecay: ngram?.weightDecay ?? null,
    buckets: ngram?.buckets ?? null,
    base: trl?.base ?? null,
    maxSteps: trl?.maxSteps ?? null,
    maxLength: trl?.maxLength ?? null,
    lora: trl?.lora ?? null,
  };
}
