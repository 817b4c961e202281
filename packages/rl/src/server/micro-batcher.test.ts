import type { ScoreItem, TrajectoryScorer } from '@autotraj/trajectory';
import { describe, expect, it } from 'vitest';
import { tagTrajectory } from '../test-support.js';
import { createMicroBatcher } from './micro-batcher.js';

const itemFor = (n: number): ScoreItem => ({
  question: String(n),
  trajectory: tagTrajectory({ answer: String(n), salt: String(n) }),
});

function recordingScorer(failOn?: number): TrajectoryScorer & { batches: number[][] } {
  const batches: number[][] = [];
  return {
    batches,
    async score(items) {
      const ids = items.map((i) => Number(i.question));
      batches.push(ids);
      await new Promise((r) => setTimeout(r, 2));
      if (failOn !== undefined && ids.includes(failOn)) throw new Error(`cannot score ${failOn}`);
      return Float32Array.from(ids, (id) => id * 10);
    },
    async close() {},
  };
}

describe('createMicroBatcher', () => {
  it('merges concurrent requests, splits at maxBatchSize and routes every score back', async () => {
    const scorer = recordingScorer();
    const batcher = createMicroBatcher({ scorer, maxBatchSize: 4 });
    const requests = [[1, 2, 3], [4], [5, 6, 7, 8, 9], [10]];
    const answers = await Promise.all(requests.map((ids) => batcher.score(ids.map(itemFor))));
    expect(answers.map((a) => Array.from(a))).toEqual(
      requests.map((ids) => ids.map((id) => id * 10)),
    );
    // Queue order is kept; a request larger than the batch spans two calls.
    expect(scorer.batches).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
    expect(batcher.pending).toBe(0);
  });

  it('fails only the requests of a failed batch and keeps going', async () => {
    const scorer = recordingScorer(3);
    const batcher = createMicroBatcher({ scorer, maxBatchSize: 2 });
    const results = await Promise.allSettled([
      batcher.score([itemFor(1), itemFor(2)]),
      batcher.score([itemFor(3)]),
      batcher.score([itemFor(4)]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('cannot score 3');
    expect(Array.from((results[2] as PromiseFulfilledResult<Float32Array>).value)).toEqual([40]);
    // [3, 4] failed together; each was retried alone, so only 3's request fails.
    expect(scorer.batches).toEqual([[1, 2], [3, 4], [3], [4]]);
    await batcher.drain();
  });
});
