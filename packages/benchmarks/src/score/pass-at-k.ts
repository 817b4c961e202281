import { BenchmarkError } from '../errors.js';

/**
 * The unbiased pass@k estimator (Chen et al., 2021): the chance that at least one of k
 * samples drawn without replacement from n, of which c are correct, is correct:
 * 1 - C(n-c, k) / C(n, k), computed as a product so large n does not overflow.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (
    !Number.isInteger(n) ||
    !Number.isInteger(c) ||
    !Number.isInteger(k) ||
    n < 1 ||
    c < 0 ||
    c > n ||
    k < 1 ||
    k > n
  )
    throw new BenchmarkError({
      code: 'invalid_option',
      message: `pass@k needs integers 1 <= k <= n and 0 <= c <= n, got n=${n} c=${c} k=${k}`,
    });
  if (n - c < k) return 1;
  let fail = 1;
  for (let i = n - c + 1; i <= n; i++) fail *= 1 - k / i;
  return 1 - fail;
}

/** The k reported for n samples: 1, 2, 4, ... below n, and n itself. */
export function reportedKs(n: number): number[] {
  const ks: number[] = [];
  for (let k = 1; k < n; k *= 2) ks.push(k);
  ks.push(n);
  return ks;
}
