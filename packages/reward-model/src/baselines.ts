import type { PreferencePair, Trajectory } from '@autotraj/trajectory';
import { toolInputText } from '@autotraj/trajectory/internal';
import { pairwiseAccuracy } from './metrics.js';

/** Characters in a trajectory: reasoning, tool inputs, tool outputs and the answer. */
export function trajectoryLength(trajectory: Trajectory): number {
  let n = 0;
  for (const step of trajectory.steps) {
    if (step.type === 'tool-call') n += toolInputText(step.toolName, step.input).length;
    else if (step.type === 'tool-result') n += step.output.length;
    else n += step.text.length;
  }
  return n;
}

/**
 * The length-only baseline: score = ±length, the sign fitted on `train` (whichever direction
 * wins more training pairs), accuracy measured on `test`. What a reward model must beat.
 */
export function lengthBaseline(
  train: ReadonlyArray<PreferencePair>,
  test: ReadonlyArray<PreferencePair>,
): { sign: 1 | -1; trainAccuracy: number; accuracy: number } {
  const accuracy = (pairs: ReadonlyArray<PreferencePair>, sign: number) =>
    pairwiseAccuracy(
      pairs.map((p) => sign * trajectoryLength(p.chosen)),
      pairs.map((p) => sign * trajectoryLength(p.rejected)),
    );
  const longer = accuracy(train, 1);
  const sign = longer >= 0.5 ? 1 : -1;
  return { sign, trainAccuracy: sign === 1 ? longer : 1 - longer, accuracy: accuracy(test, sign) };
}
