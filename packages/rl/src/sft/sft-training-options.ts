import { PYTHON_TRAINER_THREADS } from '@autotraj/tools/internal';
import { RlConfigError } from '../errors.js';
import type { TrainSftOptions } from './train-sft.js';

/**
 * `trainSft`'s defaults, in one place: the function applies them and `autotraj train-sft` shows
 * them as its flags' defaults. The learning rate depends on the method.
 */
export const SFT_TRAINING_DEFAULTS = Object.freeze({
  method: 'lora',
  lora: Object.freeze({ r: 8, alpha: 16, dropout: 0.05 }),
  epochs: 1,
  /** 0: run the epochs. */
  maxSteps: 0,
  maxLength: 1024,
  batchSize: 1,
  gradientAccumulation: 4,
  learningRate: Object.freeze({ lora: 1e-4, full: 2e-5 }),
  seed: 1,
  saveSteps: 10,
  ggufType: 'f16',
  /** torch threads (the Python trainer runner's default). */
  threads: PYTHON_TRAINER_THREADS,
} as const);

export type SftMethod = 'lora' | 'full';
export type GgufType = 'f32' | 'f16' | 'bf16' | 'q8_0';

/** `trainSft`'s training settings with every default applied and checked. */
export interface ResolvedSftTrainingOptions {
  method: SftMethod;
  /** null for a full fine-tune. */
  lora: { r: number; alpha: number; dropout: number } | null;
  epochs: number;
  maxSteps: number;
  maxLength: number;
  batchSize: number;
  gradientAccumulation: number;
  learningRate: number;
  seed: number;
  saveSteps: number;
  /** The GGUF conversion, or null when no llama.cpp source is given (Hugging Face files only). */
  gguf: { llamaCppSource: string; type: GgufType } | null;
  gpu: boolean;
  forceNew: boolean;
}

function check(option: string, value: number, ok: boolean, what: string): number {
  if (!ok) throw new RlConfigError({ option, message: `must be ${what}, got ${value}` });
  return value;
}
const positiveInteger = (option: string, value: number) =>
  check(option, value, Number.isInteger(value) && value > 0, 'a positive integer');
const positiveNumber = (option: string, value: number) =>
  check(option, value, value > 0 && Number.isFinite(value), 'a positive number');

/**
 * Every default of an SFT training run, in one place (the `prepare*` pattern of the `ai` SDK):
 * `trainSft` trains and records its settings from what this returns, so a rerun that writes a
 * default out is the same run as one that leaves it to the default. Throws `RlConfigError`
 * naming the option for a value out of range.
 */
export function resolveSftTrainingOptions(
  options: Omit<TrainSftOptions, 'records' | 'base' | 'outDir'>,
): ResolvedSftTrainingOptions {
  const d = SFT_TRAINING_DEFAULTS;
  const method = options.method ?? d.method;
  const lora = options.lora ?? {};
  const epochs = positiveNumber('epochs', options.epochs ?? d.epochs);
  const maxSteps = options.maxSteps ?? d.maxSteps;
  check('maxSteps', maxSteps, Number.isInteger(maxSteps) && maxSteps >= 0, 'an integer >= 0');
  const dropout = lora.dropout ?? d.lora.dropout;
  return {
    method,
    lora:
      method === 'lora'
        ? {
            r: positiveInteger('lora.r', lora.r ?? d.lora.r),
            alpha: positiveInteger('lora.alpha', lora.alpha ?? d.lora.alpha),
            dropout: check('lora.dropout', dropout, dropout >= 0 && dropout < 1, 'in [0, 1)'),
          }
        : null,
    epochs,
    maxSteps,
    maxLength: positiveInteger('maxLength', options.maxLength ?? d.maxLength),
    batchSize: positiveInteger('batchSize', options.batchSize ?? d.batchSize),
    gradientAccumulation: positiveInteger(
      'gradientAccumulation',
      options.gradientAccumulation ?? d.gradientAccumulation,
    ),
    learningRate: positiveNumber('learningRate', options.learningRate ?? d.learningRate[method]),
    seed: options.seed ?? d.seed,
    saveSteps: positiveInteger('saveSteps', options.saveSteps ?? d.saveSteps),
    gguf:
      options.llamaCppSource === undefined
        ? null
        : { llamaCppSource: options.llamaCppSource, type: options.ggufType ?? d.ggufType },
    gpu: options.gpu ?? true,
    forceNew: options.forceNew ?? false,
  };
}
