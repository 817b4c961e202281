import type { PreferencePair } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { TrainingError } from './errors.js';
import { scoreWithModel } from './model.js';
import { realPairs } from './test-support/real-pairs.js';
import { trainRewardModel } from './train.js';

const small = (): PreferencePair[] => realPairs().gsm8k.slice(0, 160);

describe('trainRewardModel', () => {
  it('is reproducible from its seed and changes with it', () => {
    const options = { pairs: small(), epochs: 2, featurizer: { numBuckets: 4096 } };
    const a = trainRewardModel({ ...options, seed: 11 });
    const b = trainRewardModel({ ...options, seed: 11 });
    const c = trainRewardModel({ ...options, seed: 12 });
    const bytes = (v: Float32Array | Float64Array) =>
      Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    for (const name of ['embedding', 'denseWeight', 'weight2', 'weight3', 'bias1'] as const) {
      expect(bytes(a.model.params[name]).equals(bytes(b.model.params[name])), name).toBe(true);
      expect(bytes(a.model.params[name]).equals(bytes(c.model.params[name])), name).toBe(false);
    }
    expect(a.report.history).toEqual(b.report.history);
  });

  it('holds out whole tasks, lowers the training loss, and stops early keeping the best epoch', () => {
    const pairs = realPairs().gsm8k.slice(0, 400);
    const { report, model } = trainRewardModel({
      pairs,
      epochs: 40,
      patience: 2,
      seed: 3,
      learningRate: 1e-2,
    });
    expect(report.data.trainPairs + report.data.validationPairs).toBe(400);
    expect(report.data.validationTasks).toBeGreaterThan(0);
    expect(report.history[report.history.length - 1]!.trainLoss).toBeLessThan(
      report.history[0]!.trainLoss,
    );
    expect(report.stoppedEarly).toBe(true);
    expect(report.epochsRun).toBeLessThan(40);
    const bestLoss = Math.min(...report.history.map((h) => h.validationLoss!));
    expect(report.history[report.bestEpoch - 1]!.validationLoss).toBe(bestLoss);
    expect(report.validationLoss).toBeCloseTo(bestLoss, 10);
    expect(model.trainingSummary.bestEpoch).toBe(report.bestEpoch);
  });

  it('centres scores on the training trajectories, so chosen ones score above 0', () => {
    const pairs = small();
    const { model, report } = trainRewardModel({ pairs, epochs: 5, seed: 5, validationSplit: 0 });
    const chosen = scoreWithModel(
      model,
      pairs.map((p) => ({ question: p.question, trajectory: p.chosen })),
    );
    const rejected = scoreWithModel(
      model,
      pairs.map((p) => ({ question: p.question, trajectory: p.rejected })),
    );
    const mean = (v: Float32Array) => v.reduce((a, b) => a + b, 0) / v.length;
    // Distinct trajectories average 0 (a trajectory in several pairs counts once).
    const unique = new Map<string, number>();
    pairs.forEach((p, i) => {
      unique.set(p.chosen.id, chosen[i]!);
      unique.set(p.rejected.id, rejected[i]!);
    });
    expect([...unique.values()].reduce((a, b) => a + b, 0) / unique.size).toBeCloseTo(0, 3);
    expect(mean(chosen)).toBeGreaterThan(0);
    expect(mean(rejected)).toBeLessThan(0);
    expect(Number.isFinite(report.scoreOffset)).toBe(true);
  });

  it('uses explicit validation pairs when given and rejects bad options with typed errors', () => {
    const pairs = small();
    const { report } = trainRewardModel({
      pairs: pairs.slice(0, 120),
      validationPairs: pairs.slice(120),
      epochs: 1,
    });
    expect(report.data).toMatchObject({ trainPairs: 120, validationPairs: 40 });
    expect(() => trainRewardModel({ pairs: [] })).toThrow(TrainingError);
    expect(() => trainRewardModel({ pairs, epochs: 0 })).toThrow(
      /epochs must be a positive integer/,
    );
    expect(() => trainRewardModel({ pairs, validationSplit: 1 })).toThrow(TrainingError);
    expect(() => trainRewardModel({ pairs, learningRate: -1 })).toThrow(/learningRate/);
  });
});
