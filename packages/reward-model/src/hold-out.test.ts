import type { PreferencePair } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { TrainingError } from './errors.js';
import { holdOutPairs } from './hold-out.js';
import { splitPairsByTask } from './pairs.js';
import { realPairs } from './test-support/real-pairs.js';

const pairs = (): PreferencePair[] => realPairs().gsm8k.slice(0, 200);
const tasksOf = (list: ReadonlyArray<PreferencePair>) => new Set(list.map((p) => p.taskId));

describe('holdOutPairs', () => {
  it('holds out 15% of the tasks by default, seed 1: whole tasks, every pair on one side', () => {
    const all = pairs();
    const { train, validation } = holdOutPairs(all);
    expect(train.length + validation.length).toBe(all.length);
    const trainTasks = tasksOf(train);
    for (const task of tasksOf(validation)) expect(trainTasks.has(task)).toBe(false);
    // The split autotraj train-rm measured its held-out figures on before it moved here.
    const [expectedTrain, expectedValidation] = splitPairsByTask(all, {
      fractions: [0.85, 0.15],
      seed: 1,
    });
    expect(train).toEqual(expectedTrain);
    expect(validation).toEqual(expectedValidation);
    expect(tasksOf(validation).size).toBe(Math.round(0.15 * tasksOf(all).size));
  });

  it('follows the split and seed it is given', () => {
    const all = pairs();
    const a = holdOutPairs(all, { validationSplit: 0.3, seed: 7 });
    expect(holdOutPairs(all, { validationSplit: 0.3, seed: 7 })).toEqual(a);
    expect(tasksOf(a.validation).size).toBe(Math.round(0.3 * tasksOf(all).size));
    expect(holdOutPairs(all, { validationSplit: 0.3, seed: 8 }).validation).not.toEqual(
      a.validation,
    );
  });

  it('holds nothing out at 0, or when too few tasks would leave no training pairs', () => {
    const all = pairs();
    expect(holdOutPairs(all, { validationSplit: 0 })).toEqual({ train: all, validation: [] });
    const oneTask = all.filter((p) => p.taskId === all[0]!.taskId);
    expect(holdOutPairs(oneTask, { validationSplit: 0.9 })).toEqual({
      train: oneTask,
      validation: [],
    });
  });

  it('refuses a split outside [0, 1) with a TrainingError naming validationSplit', () => {
    for (const validationSplit of [1, -0.1, Number.NaN]) {
      let error: unknown;
      try {
        holdOutPairs(pairs(), { validationSplit });
      } catch (caught) {
        error = caught;
      }
      expect(TrainingError.isInstance(error)).toBe(true);
      expect((error as TrainingError).parameter).toBe('validationSplit');
      expect((error as Error).message).toContain('validationSplit must be in [0, 1)');
    }
  });
});
