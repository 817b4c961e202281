import { DEFAULT_VALIDATION_SPLIT, REWARD_MODEL_TRAINING_DEFAULTS } from '@autotraj/reward-model';
import { describe, expect, it } from 'vitest';
import { resolveTrainRmOptions, trainRmRunSettings } from './train-rm-options.js';

const { seed, ngram, transformer } = REWARD_MODEL_TRAINING_DEFAULTS;

describe('resolveTrainRmOptions', () => {
  it("applies each backend's defaults from the reward-model package", () => {
    expect(resolveTrainRmOptions({})).toEqual({
      backend: 'ngram',
      seed,
      validationSplit: DEFAULT_VALIDATION_SPLIT,
      epochs: ngram.epochs,
      batchSize: ngram.batchSize,
      learningRate: ngram.learningRate,
      weightDecay: ngram.weightDecay,
      buckets: ngram.numBuckets,
    });
    expect(resolveTrainRmOptions({ backend: 'trl', epochs: 3 })).toEqual({
      backend: 'trl',
      seed,
      validationSplit: DEFAULT_VALIDATION_SPLIT,
      epochs: 3,
      batchSize: transformer.batchSize,
      learningRate: transformer.learningRate,
      base: transformer.base,
      maxSteps: transformer.maxSteps,
      maxLength: transformer.maxLength,
      lora: false,
    });
  });

  it("records both backends' keys, the other backend's null, the same whether a default is written out or not", () => {
    const left = trainRmRunSettings(resolveTrainRmOptions({ backend: 'trl' }));
    const written = trainRmRunSettings(
      resolveTrainRmOptions({
        backend: 'trl',
        seed,
        validationSplit: DEFAULT_VALIDATION_SPLIT,
        epochs: transformer.epochs,
        batchSize: transformer.batchSize,
        learningRate: transformer.learningRate,
        base: transformer.base,
        maxSteps: transformer.maxSteps,
        maxLength: transformer.maxLength,
        lora: false,
        // An n-gram setting does not make a trl run another one.
        buckets: 1024,
      }),
    );
    expect(written).toEqual(left);
    expect(left).toMatchObject({ weightDecay: null, buckets: null, base: 'minilm', lora: false });
    expect(trainRmRunSettings(resolveTrainRmOptions({}))).toMatchObject({
      base: null,
      maxSteps: null,
      maxLength: null,
      lora: null,
      buckets: ngram.numBuckets,
    });
  });
});
