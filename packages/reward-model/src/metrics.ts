/** Share of pairs whose chosen score is strictly above the rejected one (ties count half). */
export function pairwiseAccuracy(chosen: ArrayLike<number>, rejected: ArrayLike<number>): number {
  if (chosen.length !== rejected.length)
    throw new RangeError(
      `pairwiseAccuracy: ${chosen.length} chosen vs ${rejected.length} rejected scores`,
    );
  if (chosen.length === 0) return Number.NaN;
  let wins = 0;
  for (let i = 0; i < chosen.length; i++) {
    const c = chosen[i]!;
    const r = rejected[i]!;
    if (c > r) wins += 1;
    else if (c === r) wins += 0.5;
  }
  return wins / chosen.length;
}

/**
 * Area under the ROC curve of `scores` for binary `labels` (true = positive), via the rank-sum
 * (Mann-Whitney) formula with average ranks for ties. NaN when a class is missing.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<boolean>): number {
  if (scores.length !== labels.length)
    throw new RangeError(`rocAuc: ${scores.length} scores vs ${labels.length} labels`);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => scores[a]! - scores[b]!,
  );
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!]) {
        positives++;
        rankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface Histogram {
  /** bins + 1 edges; bin i covers [edges[i], edges[i+1]) and the last bin includes its right edge. */
  edges: number[];
  counts: number[];
}

/** Equal-width histogram of `values` over [min, max] (or the data's range). */
export function histogram(
  values: ArrayLike<number>,
  options: { bins?: number; min?: number; max?: number } = {},
): Histogram {
  const bins = options.bins ?? 20;
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`histogram: bins must be a positive integer, got ${bins}`);
  let min = options.min ?? Number.POSITIVE_INFINITY;
  let max = options.max ?? Number.NEGATIVE_INFINITY;
  if (options.min === undefined || options.max === undefined) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (options.min === undefined && v < min) min = v;
      if (options.max === undefined && v > max) max = v;
    }
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { edges: [], counts: [] };
  if (max === min) max = min + 1;
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => min + i * width);
  edges[bins] = max;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min || v > max || Number.isNaN(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - min) / width))]! += 1;
  }
  return { edges, counts };
}
