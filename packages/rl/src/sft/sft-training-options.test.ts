import { describe, expect, it } from 'vitest';
import { RlConfigError } from '../errors.js';
import { resolveSftTrainingOptions, SFT_TRAINING_DEFAULTS } from './sft-training-options.js';

describe('resolveSftTrainingOptions', () => {
  it('applies every default, the learning rate by method', () => {
    const d = SFT_TRAINING_DEFAULTS;
    expect(resolveSftTrainingOptions({})).toEqual({
      method: 'lora',
      lora: { r: 8, alpha: 16, dropout: 0.05 },
      epochs: 1,
      maxSteps: 0,
      maxLength: 1024,
      batchSize: 1,
      gradientAccumulation: 4,
      learningRate: 1e-4,
      seed: 1,
      saveSteps: 10,
      gguf: null,
      gpu: true,
      forceNew: false,
    });
    const full = resolveSftTrainingOptions({ method: 'full', lora: { r: 4 } });
    expect(full.lora).toBeNull();
    expect(full.learningRate).toBe(d.learningRate.full);
    expect(resolveSftTrainingOptions({ llamaCppSource: '/src' }).gguf).toEqual({
      llamaCppSource: '/src',
      type: 'f16',
    });
  });

  it('resolves a default written out to what leaving it out resolves to', () => {
    const d = SFT_TRAINING_DEFAULTS;
    const written = resolveSftTrainingOptions({
      method: d.method,
      lora: { ...d.lora },
      epochs: d.epochs,
      maxSteps: d.maxSteps,
      maxLength: d.maxLength,
      batchSize: d.batchSize,
      gradientAccumulation: d.gradientAccumulation,
      learningRate: d.learningRate.lora,
      seed: d.seed,
      saveSteps: d.saveSteps,
    });
    expect(written).toEqual(resolveSftTrainingOptions({}));
  });

  it.each([
    [{ epochs: 0 }, 'epochs: must be a positive number, got 0'],
    [{ maxSteps: -1 }, 'maxSteps: must be an integer >= 0, got -1'],
    [{ maxLength: 1.5 }, 'maxLength: must be a positive integer, got 1.5'],
    [{ batchSize: 0 }, 'batchSize: must be a positive integer, got 0'],
    [{ gradientAccumulation: 0 }, 'gradientAccumulation: must be a positive integer, got 0'],
    [{ learningRate: 0 }, 'learningRate: must be a positive number, got 0'],
    [{ saveSteps: 0 }, 'saveSteps: must be a positive integer, got 0'],
    [{ lora: { r: 0 } }, 'lora.r: must be a positive integer, got 0'],
    [{ lora: { alpha: 2.5 } }, 'lora.alpha: must be a positive integer, got 2.5'],
    [{ lora: { dropout: 1 } }, 'lora.dropout: must be in [0, 1), got 1'],
  ])('%j is an RlConfigError naming the option', (options, message) => {
    const error = (() => {
      try {
        resolveSftTrainingOptions(options);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(RlConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(message);
  });
});
