import { z } from 'zod';
import { BenchmarkError } from '../errors.js';

/** mulberry32: a small seeded PRNG, so resamples are reproducible across runs and machines. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BootstrapOptions {
  /** Default 10,000. */
  resamples?: number | undefined;
  /** Default 0. */
  seed?: number | undefined;
  /** Two-sided confidence level, default 0.95. */
  level?: number | undefined;
}

/** A paired bootstrap of a difference of means (`pairedBootstrap`). */
export const pairedBootstrapResultSchema = z.object({
  n: z.number().int().nonnegative(),
  meanA: z.number().finite(),
  meanB: z.number().finite(),
  /** meanB - meanA. */
  delta: z.number().finite(),
  /** Percentile interval of the resampled deltas. */
  low: z.number().finite(),
  high: z.number().finite(),
  level: z.number().gt(0).lt(1),
  resamples: z.number().int().min(1),
  seed: z.number().int(),
});
export type PairedBootstrapResult = z.infer<typeof pairedBootstrapResultSchema>;

function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Paired bootstrap of the difference of means: `a[i]` and `b[i]` are two systems' scores on
 * the same question i. Each resample draws question indices with replacement and takes the
 * mean of `b - a`; the interval is the percentile interval at `level`. Seeded: equal inputs
 * and options give equal intervals.
 */
export function pairedBootstrap(
  a: ReadonlyArray<number>,
  b: ReadonlyArray<number>,
  options: BootstrapOptions = {},
): PairedBootstrapResult {
  const resamples = options.resamples ?? 10_000;
  const seed = options.seed ?? 0;
  const level = options.level ?? 0.95;
  if (a.length !== b.length)
    throw new BenchmarkError({
      code: 'invalid_option',
      message: `paired bootstrap needs equal lengths, got ${a.length} and ${b.length}`,
    });
  if (!(level > 0 && level < 1) || !Number.isInteger(resamples) || resamples < 1)
    throw new BenchmarkError({
      code: 'invalid_option',
      message: `bootstrap needs 0 < level < 1 and resamples >= 1, got ${level}, ${resamples}`,
    });
  const n = a.length;
  const diffs = a.map((x, i) => b[i]! - x);
  const mean = (xs: ReadonlyArray<number>) =>
    xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;
  const delta = mean(diffs);
  if (n === 0) return { n, meanA: 0, meanB: 0, delta: 0, low: 0, high: 0, level, resamples, seed };
  const next = rng(seed);
  const deltas = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += diffs[Math.floor(next() * n)]!;
    deltas[r] = sum / n;
  }
  deltas.sort();
  const tail = (1 - level) / 2;
  return {
    n,
    meanA: mean(a),
    meanB: mean(b),
    delta,
    low: quantile(deltas, tail),
    high: quantile(deltas, 1 - tail),
    level,
    resamples,
    seed,
  };
}
