import { isSealedTrajectory } from '@autotraj/trajectory/internal';
import type { RewardItem } from './types.js';

// Batches of reward items the rollout loop builds are sealed like the trajectories in them: the
// array and every item are frozen and the array remembered here, so a checked reward
// (`createReward` of the main entry, which a caller may pass to `runRollouts`) takes the batch
// with one lookup instead of checking each item's keys (~50-100 ns an item, 3-5% of the paper
// reward, more once the process has seen items of several shapes).
//
// Sound for the same reason sealed trajectories are: nothing in a sealed batch can change. The
// trajectories are sealed (checked when built or read), the strings immutable, each
// `goldAnswers` a frozen array the loop copied from the checked task; the items and the array
// are frozen. A copy of the array (`[...batch]`, `batch.slice()`) is a new, unsealed array.

const sealed = new WeakSet<object>();

/** Whether `items` is a batch `sealRewardBatch` sealed (cannot have changed since). */
export function isSealedRewardBatch(items: unknown): items is ReadonlyArray<RewardItem> {
  return typeof items === 'object' && items !== null && sealed.has(items);
}

/**
 * Seal a batch the library built, when every trajectory in it is sealed; else return it as is
 * (a `generate` of the caller's may return plain trajectories: the reward checks those). Each
 * item must be `{ trajectory, question?, goldAnswers?, dataSource?, text? }` with strings,
 * a frozen `goldAnswers` of strings the builder owns; the caller (the library) guarantees that.
 */
export function sealRewardBatch(items: RewardItem[]): ReadonlyArray<RewardItem> {
  for (const item of items) if (!isSealedTrajectory(item.trajectory)) return items;
  for (const item of items) Object.freeze(item);
  sealed.add(Object.freeze(items));
  return items;
}
