import { type PreferencePair, type TextFormat, textFormats } from '@autotraj/trajectory';
import { rejecting } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import {
  featurizerConfigHash as configHashUnchecked,
  type FeaturizerConfigInput,
  featurizerConfigSchema,
} from '../featurize.js';
import type { RewardModel } from '../model.js';
import { loadRewardModel as loadUnchecked } from '../read-model.js';
import { readPreferencePairs as readPairsUnchecked } from '../read-pairs.js';
import { tokenize as tokenizeUnchecked } from '../tokenize.js';
import { parse } from './parse.js';

// The file readers and the featurizer helpers of the main entry check their arguments before
// any file is read (`TrainingError` code `invalid_input` naming the function and the field;
// options strict).

const path = z.string().min(1);
const pairOptions = z.strictObject({ format: z.enum(textFormats).optional() });

/** Preference pairs from a JSONL file (see read-pairs.ts), path and options checked first. */
export function readPreferencePairs(
  file: string,
  options: { format?: TextFormat } = {},
): Promise<PreferencePair[]> {
  const entry = 'readPreferencePairs';
  return rejecting(() =>
    readPairsUnchecked(
      parse(path, file, entry, 'path'),
      parse(pairOptions, options, entry, 'options') as { format?: TextFormat },
    ),
  );
}

/** A reward model from its ONNX file (see read-model.ts), the path checked first. */
export function loadRewardModel(file: string): Promise<RewardModel> {
  return rejecting(() => loadUnchecked(parse(path, file, 'loadRewardModel', 'path')));
}

const configInput = featurizerConfigSchema.partial().strict();

/** The hash of a featurizer configuration (see featurize.ts), the configuration checked. */
export function featurizerConfigHash(config: FeaturizerConfigInput = {}): string {
  return configHashUnchecked(
    parse(configInput, config, 'featurizerConfigHash', 'config') as FeaturizerConfigInput,
  );
}

/** The n-gram featurizer's tokens of a text (see tokenize.ts), the text checked. */
export function tokenize(text: string): string[] {
  return tokenizeUnchecked(
    typeof text === 'string' ? text : parse(z.string(), text, 'tokenize', 'text'),
  );
}
