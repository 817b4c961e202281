import {
  type AdmissionMode,
  type AdmittedSet,
  admissionModes,
  formatDroppedByReason,
  type PreferencePair,
  RUN_DEFAULTS,
} from '@autotraj/trajectory';
// Unchecked: the entry points that call this parsed the pairs already (admitted pairs stay the
// caller's objects).
import { admitPreferencePairsUnchecked as admitPreferencePairs } from '@autotraj/trajectory/internal';
import { TrainingError } from './errors.js';

export interface AdmitTrainingPairsOptions {
  /**
   * `well-formed` (default): a pair is trained on only when its chosen side passes the admission
   * gate (`admitPreferencePairs` of `@autotraj/trajectory`, the decision synthesis writes
   * `pairs.jsonl` through, with today's rules); `none`: every pair.
   */
  admission?: AdmissionMode | undefined;
}

/**
 * The admission gate over pairs about to train a reward model: a pair whose chosen side would
 * teach the model to prefer an ill-formed trajectory (no `<answer>`, `\boxed{10.0}`, wrong
 * arithmetic, ...) is left out, with its reasons. A set the gate refuses entirely is a
 * `TrainingError` (parameter `pairs`).
 */
export function admitTrainingPairs(
  pairs: ReadonlyArray<PreferencePair>,
  options: AdmitTrainingPairsOptions = {},
): AdmittedSet<PreferencePair> {
  const mode = options.admission ?? RUN_DEFAULTS.admission;
  if (!(admissionModes as ReadonlyArray<unknown>).includes(mode))
    throw new TrainingError({
      parameter: 'admission',
      message: `unknown admission ${JSON.stringify(mode)} (expected ${admissionModes.join(' or ')})`,
    });
  const gated = admitPreferencePairs(mode, pairs);
  if (pairs.length > 0 && gated.admitted.length === 0) {
    const reasons = formatDroppedByReason(gated.tally.droppedByReason);
    throw new TrainingError({
      parameter: 'pairs',
      message: `the admission gate refused the chosen side of all ${pairs.length} preference pairs (${reasons}): nothing well-formed to train on (admission none trains on them as they are)`,
    });
  }
  return gated;
}
