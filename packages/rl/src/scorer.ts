import type { ScoreItem, TrajectoryScorer } from '@autotraj/trajectory';
import { ScorerOutputError } from './errors.js';

// The scorer contract lives once, in @autotraj/trajectory; @autotraj/reward-model's
// `openTrajectoryScorer` implements it with ONNX. rl codes against the contract only, so importing
// rl loads no onnxruntime.
export type { TrajectoryScorer };

/** A scorer from a plain per-item function: custom heuristics, tests and benchmark baselines. */
export function createFunctionScorer(fn: (item: ScoreItem) => number): TrajectoryScorer {
  return {
    async score(items) {
      const out = new Float32Array(items.length);
      for (let i = 0; i < items.length; i++) out[i] = fn(items[i]!);
      return out;
    },
    async close() {},
  };
}

/** Score through `scorer` and check it answered one finite number per item. */
export async function scoreChecked(
  scorer: TrajectoryScorer,
  items: ReadonlyArray<ScoreItem>,
): Promise<Float32Array> {
  if (items.length === 0) return new Float32Array(0);
  const scores = await scorer.score(items);
  if (scores.length !== items.length) {
    throw new ScorerOutputError({
      message: `scorer returned ${scores.length} scores for ${items.length} trajectories`,
    });
  }
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i]))
      throw new ScorerOutputError({
        message: `scorer returned a non-finite score (${scores[i]}) for item ${i}`,
      });
  }
  return scores;
}
