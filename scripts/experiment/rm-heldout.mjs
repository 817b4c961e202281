// Held-out pairwise accuracy of the reward models over several random task splits, pooled:
//   node rm-heldout.mjs <label>=<run dir>[,<run dir>...] ...   (train-rm output directories)
// One split holds out ~9 pairs here, too few to tell an RM from the length baseline; each seed
// holds out other problems, so pooling the splits' held-out pairs gives a steadier figure (a
// pair can be held out by several seeds). The held-out split is also the one early stopping
// watches, so the RM's figure leans optimistic; the length baseline's does not. The intervals
// treat the pooled pairs as independent, which repeats across seeds make them not quite.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Wilson 95% interval of k successes in n. */
function wilson(k, n) {
  if (n === 0) return [Number.NaN, Number.NaN];
  const z = 1.96;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [centre - half, centre + half];
}
const pct = (k, n) => {
  const [lo, hi] = wilson(k, n);
  return `${k}/${n} = ${((100 * k) / n).toFixed(1)}% [${(100 * lo).toFixed(1)}, ${(100 * hi).toFixed(1)}]`;
};

console.log(
  '| model | splits (seeds) | held-out pairs, pooled | RM accuracy [95% CI] | length baseline [95% CI] | splits RM > / = / < length |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const arg of process.argv.slice(2)) {
  const at = arg.indexOf('=');
  const label = arg.slice(0, at);
  const dirs = arg.slice(at + 1).split(',');
  let pairs = 0;
  let rm = 0;
  let length = 0;
  const wins = [0, 0, 0];
  const seeds = [];
  for (const dir of dirs) {
    const report = JSON.parse(readFileSync(join(dir, 'training-report.json'), 'utf8'));
    const held = report.heldOut;
    if (held === undefined || held.pairs === 0) continue;
    seeds.push(report.seed ?? '?');
    const k = Math.round(held.pairwiseAccuracy * held.pairs);
    const l = Math.round(held.lengthBaselineAccuracy * held.pairs);
    pairs += held.pairs;
    rm += k;
    length += l;
    wins[k > l ? 0 : k === l ? 1 : 2]++;
  }
  console.log(
    `| ${label} | ${seeds.length} (${seeds.sort((a, b) => a - b).join(', ')}) | ${pairs} | ${pct(rm, pairs)} | ${pct(length, pairs)} | ${wins.join(' / ')} |`,
  );
}
