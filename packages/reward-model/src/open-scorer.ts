import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TextFormat } from '@autotraj/trajectory';
import { isTextFormat } from '@autotraj/trajectory';
import { RewardModelFileError } from './errors.js';
import { createHfSequenceClassifierScorer } from './hf-scorer.js';
import { METADATA_KEYS } from './onnx-export.js';
import { createOnnxScorer, type OnnxSessionOptions } from './onnx-scorer.js';
import { readOnnxFile } from './read-model.js';
import type { OnnxTrajectoryScorer } from './scorer.js';

/** `autotraj.kind` of a transformer reward model exported by `train_rm.py` (`train-rm --backend trl`). */
export const HF_REWARD_MODEL_KIND = 'autotraj-hf-reward-model';

/** metadata_props a transformer reward model carries; the scorer is configured from them. */
export const HF_METADATA_KEYS = {
  tokenizer: 'autotraj.tokenizer',
  tokenizerConfig: 'autotraj.tokenizer_config',
  maxLength: 'autotraj.max_length',
  truncationSide: 'autotraj.truncation_side',
  textFormat: 'autotraj.text_format',
} as const;

export interface OpenRewardModelOptions extends OnnxSessionOptions {
  /** `model.onnx`, or the directory `autotraj train-rm --out` wrote. */
  path: string;
  /** Rows per onnxruntime call (each scorer has its own default). */
  maxBatchSize?: number | undefined;
}

function modelFileOf(path: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? join(path, 'model.onnx') : path;
}

/**
 * Open any reward model `autotraj train-rm` exports, told apart by its metadata: the hashed
 * n-gram model (`createOnnxScorer`) or a transformer trained with TRL (`--backend trl`),
 * scored by the Hugging Face scorer with the tokenizer, maximum length, truncation side and
 * text format its metadata names.
 */
export async function openTrajectoryScorer(
  options: OpenRewardModelOptions,
): Promise<OnnxTrajectoryScorer> {
  const { path: given, maxBatchSize, ...session } = options;
  const path = modelFileOf(given);
  const file = await readOnnxFile(path);
  if (file.props[METADATA_KEYS.kind] !== HF_REWARD_MODEL_KIND) {
    return createOnnxScorer({
      path,
      ...session,
      ...(maxBatchSize === undefined ? {} : { maxBatchSize }),
    });
  }
  const dir = dirname(path);
  const prop = (key: string) => {
    const value = file.props[key];
    if (value === undefined || value === '')
      throw new RewardModelFileError({
        path,
        problem: 'corrupt',
        detail: `transformer reward model lacks metadata "${key}"`,
      });
    return value;
  };
  const maxLength = Number(prop(HF_METADATA_KEYS.maxLength));
  if (!Number.isInteger(maxLength) || maxLength < 2)
    throw new RewardModelFileError({
      path,
      problem: 'corrupt',
      detail: `metadata "${HF_METADATA_KEYS.maxLength}" is not a length: ${file.props[HF_METADATA_KEYS.maxLength]}`,
    });
  const side = prop(HF_METADATA_KEYS.truncationSide);
  if (side !== 'left' && side !== 'right')
    throw new RewardModelFileError({
      path,
      problem: 'corrupt',
      detail: `metadata "${HF_METADATA_KEYS.truncationSide}" must be left or right, got ${side}`,
    });
  const format = prop(HF_METADATA_KEYS.textFormat);
  if (!isTextFormat(format))
    throw new RewardModelFileError({
      path,
      problem: 'corrupt',
      detail: `metadata "${HF_METADATA_KEYS.textFormat}" is not a text format: ${format}`,
    });
  const configName = file.props[HF_METADATA_KEYS.tokenizerConfig];
  const configPath = configName === undefined ? undefined : join(dir, configName);
  return createHfSequenceClassifierScorer({
    ...session,
    modelPath: path,
    tokenizerPath: join(dir, prop(HF_METADATA_KEYS.tokenizer)),
    ...(configPath !== undefined && existsSync(configPath)
      ? { tokenizerConfigPath: configPath }
      : {}),
    maxLength,
    truncationSide: side,
    format: format as TextFormat,
    ...(maxBatchSize === undefined ? {} : { maxBatchSize }),
  });
}
