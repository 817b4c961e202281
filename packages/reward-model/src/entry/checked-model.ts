import {
  type PreferencePair,
  preferencePairSchema,
  type ScoreItem,
  type TextFormat,
  textFormats,
} from '@autotraj/trajectory';
import { rejecting } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import type { FeaturizeItem } from '../featurize.js';
import { featurizerConfigSchema } from '../featurize.js';
import { renderScoreText as renderUnchecked } from '../hf-scorer.js';
import {
  PARAM_NAMES,
  paramSizes,
  type RewardModel,
  scoreWithModel as scoreUnchecked,
} from '../model.js';
import { type ExportOnnxOptions, exportOnnx as exportUnchecked } from '../onnx-export.js';
import {
  type TrainTransformerRewardModelOptions,
  type TransformerTrainingSummary,
  trainTransformerRewardModel as trainTransformerUnchecked,
} from '../train-transformer.js';
import { isScoreItem, scoreItemSchema, scoreItems } from './checked-scorers.js';
import { parse } from './parse.js';

// The model functions of the main entry check what they are given first: the model's shape
// against its parameter arrays (a wrong-sized array would otherwise be read past its end as
// NaN scores), items and pairs with the contract schemas, options strictly. Bad input is
// `TrainingError` code `invalid_input` with `parameter` the field path. The model is a record:
// keys it does not use are ignored, as the readers ignore unknown record keys.

const positiveInt = z.number().int().positive();
const floats = z.custom<Float32Array | Float64Array>(
  (v) => v instanceof Float32Array || v instanceof Float64Array,
  { message: 'expected a Float32Array or Float64Array' },
);
const float32 = z.custom<Float32Array>((v) => v instanceof Float32Array, {
  message: 'expected a Float32Array',
});

const rewardModelSchema = z
  .looseObject({
    shape: z.looseObject({
      numBuckets: positiveInt,
      denseDim: positiveInt,
      embeddingDim: positiveInt,
      hiddenDim: positiveInt,
    }),
    params: z.looseObject(Object.fromEntries(PARAM_NAMES.map((name) => [name, floats]))),
    denseMean: float32,
    denseScale: float32,
    featurizer: z.looseObject({
      version: z.string(),
      configHash: z.string(),
      config: featurizerConfigSchema.strict(),
    }),
    trainingSummary: z.record(z.string(), z.unknown()),
  })
  .superRefine((model, ctx) => {
    const sizes = paramSizes(model.shape);
    for (const name of PARAM_NAMES) {
      const length = model.params[name]!.length;
      if (length !== sizes[name])
        ctx.addIssue({
          code: 'custom',
          path: ['params', name],
          message: `expected ${sizes[name]} values for shape ${JSON.stringify(model.shape)}, got ${length}`,
        });
    }
    for (const name of ['denseMean', 'denseScale'] as const)
      if (model[name].length !== model.shape.denseDim)
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `expected ${model.shape.denseDim} values (shape.denseDim), got ${model[name].length}`,
        });
    if (model.shape.numBuckets !== model.featurizer.config.numBuckets)
      ctx.addIssue({
        code: 'custom',
        path: ['featurizer', 'config', 'numBuckets'],
        message: `expected ${model.shape.numBuckets} (shape.numBuckets), got ${model.featurizer.config.numBuckets}`,
      });
  });

function model(value: unknown, entry: string): RewardModel {
  return parse(rewardModelSchema, value, entry, 'model') as unknown as RewardModel;
}

/** Featurize and score in TypeScript (see model.ts): the model and the items checked first. */
export function scoreWithModel(
  rewardModel: RewardModel,
  items: ReadonlyArray<FeaturizeItem>,
): Float32Array {
  const entry = 'scoreWithModel';
  return scoreUnchecked(model(rewardModel, entry), scoreItems(items, entry));
}

const exportOptionsSchema = z.strictObject({
  path: z.string().min(1),
  metadata: z.record(z.string(), z.string()).optional(),
});

/** Write a reward model as ONNX (see onnx-export.ts): model and options checked before writing. */
export function exportOnnx(
  rewardModel: RewardModel,
  options: ExportOnnxOptions,
): Promise<{ path: string; bytes: number }> {
  const entry = 'exportOnnx';
  return rejecting(() =>
    exportUnchecked(
      model(rewardModel, entry),
      parse(exportOptionsSchema, options, entry, 'options'),
    ),
  );
}

/** The text a Hugging Face reward model reads for an item (see hf-scorer.ts), its input checked. */
export function renderScoreText(item: ScoreItem, format: TextFormat = 'tags'): string {
  const entry = 'renderScoreText';
  const checked = isScoreItem(item) ? item : parse(scoreItemSchema, item, entry, 'item');
  return renderUnchecked(checked as ScoreItem, parse(z.enum(textFormats), format, entry, 'format'));
}

const transformerOptionsSchema = z.strictObject({
  pairs: z.array(z.unknown()),
  outDir: z.string().min(1),
  base: z.string().min(1).optional(),
  python: z.string().min(1).optional(),
  epochs: positiveInt.optional(),
  maxSteps: z.number().int().nonnegative().optional(),
  maxLength: z.number().int().min(2).optional(),
  batchSize: positiveInt.optional(),
  learningRate: z.number().positive().optional(),
  seed: z.number().int().optional(),
  lora: z.boolean().optional(),
  format: z.enum(textFormats).optional(),
  threads: positiveInt.optional(),
  onLog: z
    .custom<(line: string) => void>((v) => typeof v === 'function', {
      message: 'expected a function',
    })
    .optional(),
});

/**
 * Train a transformer reward model in Python (see train-transformer.ts): options strictly and
 * each pair with `preferencePairSchema` before any file is written or process started.
 */
export function trainTransformerRewardModel(
  options: TrainTransformerRewardModelOptions,
): Promise<TransformerTrainingSummary> {
  const entry = 'trainTransformerRewardModel';
  return rejecting(() => {
    const parsed = parse(transformerOptionsSchema, options, entry, 'options');
    const pairs: PreferencePair[] = parsed.pairs.map((pair, i) =>
      parse(preferencePairSchema, pair, entry, `options.pairs[${i}]`),
    );
    return trainTransformerUnchecked({
      ...parsed,
      pairs,
    });
  });
}
