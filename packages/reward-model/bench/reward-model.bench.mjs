// Reward-model benchmarks on the BUILT package (run `pnpm build` first):
// featurize + score throughput, batched vs one trajectory per call (same scorer, same run), and
// training time for 10,000 pairs. Prints a table and writes ../../bench/results/reward-model.json.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gsm8kModelSolutionTrajectories, toraTrajectory } from '@autotraj/trajectory';
import {
  createOnnxScorer,
  exportOnnx,
  featurize,
  gsm8kCorrectnessPairs,
  lengthBaseline,
  pairwiseAccuracy,
  scoreWithModel,
  splitPairsByTask,
  trainRewardModel,
} from '../dist/index.js';
import { resolveFeaturizerConfig, toraCorrectnessPairs } from '../dist/internal/index.js';

// BENCH_SMOKE=1 (`./dev bench:smoke`, CI): tiny sizes, goals not judged; proves the bench runs.
const smoke = process.env.BENCH_SMOKE === '1';
const data = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const readJsonl = (relative) =>
  readFileSync(join(data, relative), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));

const gsm8kRecords = readJsonl('gsm8k/model-solutions.dev.jsonl');
const toraRecords = readJsonl('tora/gsm8k.dev.jsonl');
const items = [
  ...gsm8kRecords.flatMap((r) =>
    gsm8kModelSolutionTrajectories(r).solutions.map((s) => ({
      question: r.question,
      trajectory: s.trajectory,
    })),
  ),
  ...toraRecords.map((r) => ({ question: r.question, trajectory: toraTrajectory(r).trajectory })),
];
const pairs = [...gsm8kCorrectnessPairs(gsm8kRecords), ...toraCorrectnessPairs(toraRecords)];

const results = [];
const record = (name, value, unit, goal = null, met = null) =>
  results.push({ name, value, unit, goal, met: smoke ? null : met });

/** Best of `rounds` runs of fn; returns seconds. */
function timeBest(rounds, fn) {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}
async function timeBestAsync(rounds, fn) {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

// --- scoring ---
const dir = mkdtempSync(join(tmpdir(), 'rm-bench-'));
const path = join(dir, 'model.onnx');
const { model: realModel } = trainRewardModel({ pairs, seed: 1, ...(smoke ? { epochs: 1 } : {}) });
await exportOnnx(realModel, { path });
const scorer = await createOnnxScorer({ path });
const config = resolveFeaturizerConfig({});

await scorer.score(items); // warm-up
const batchedSeconds = await timeBestAsync(smoke ? 1 : 7, () => scorer.score(items));
const batched = items.length / batchedSeconds;

const singleCount = smoke ? 50 : 2000;
for (let i = 0; i < (smoke ? 5 : 200); i++) await scorer.score([items[i]]); // warm-up
const singleSeconds = await timeBestAsync(smoke ? 1 : 3, async () => {
  for (let i = 0; i < singleCount; i++) await scorer.score([items[i % items.length]]);
});
const single = singleCount / singleSeconds;

const featurizeSeconds = timeBest(smoke ? 1 : 7, () => featurize(items, config));
await scorer.close();
rmSync(dir, { recursive: true, force: true });

record(
  `featurize + score, batched (${items.length} GSM8K/ToRA trajectories per call)`,
  batched,
  'trajectories/s',
  '>= 20,000/s',
  batched >= 20_000,
);
record('featurize + score, one trajectory per call', single, 'trajectories/s', null, null);
record('batched / one-at-a-time', batched / single, 'x', '>= 10x', batched / single >= 10);
record('featurize only, batched', items.length / featurizeSeconds, 'trajectories/s', null, null);

// --- training (after scoring, so its garbage does not disturb the throughput figures): 10,000
// pairs drawn cyclically from the real pairs, fixed 10 epochs ---
const tenK = Array.from({ length: smoke ? 200 : 10_000 }, (_, i) => pairs[i % pairs.length]);
const trainStart = performance.now();
const { report } = trainRewardModel({
  pairs: tenK,
  epochs: smoke ? 1 : 10,
  patience: 100,
  seed: 1,
});
const trainSeconds = (performance.now() - trainStart) / 1000;
record(
  'train 10,000 pairs (10 epochs, featurize included)',
  trainSeconds,
  's',
  '< 60 s',
  trainSeconds < 60,
);

// --- accuracy on real data, split by problem: train / held out / unseen ---
const [trainSplit, heldOut, unseen] = splitPairsByTask(pairs, {
  fractions: [0.6, 0.2, 0.2],
  seed: 1,
});
const { model: splitModel } = trainRewardModel({
  pairs: trainSplit,
  seed: 1,
  ...(smoke ? { epochs: 1 } : {}),
});
const accuracyOn = (set) =>
  pairwiseAccuracy(
    scoreWithModel(
      splitModel,
      set.map((p) => ({ question: p.question, trajectory: p.chosen })),
    ),
    scoreWithModel(
      splitModel,
      set.map((p) => ({ question: p.question, trajectory: p.rejected })),
    ),
  );
const heldOutAccuracy = accuracyOn(heldOut);
const baseline = lengthBaseline(trainSplit, heldOut).accuracy;
record(
  `held-out pairwise accuracy (${heldOut.length} pairs, problems unseen in training)`,
  heldOutAccuracy,
  'accuracy',
  '>= 0.60',
  heldOutAccuracy >= 0.6,
);
record('length-only baseline, same held-out pairs', baseline, 'accuracy', null, null);
record(
  'held-out accuracy - length baseline',
  heldOutAccuracy - baseline,
  'accuracy',
  '> 0',
  heldOutAccuracy > baseline,
);
const unseenAccuracy = accuracyOn(unseen);
record(
  `unseen split pairwise accuracy (${unseen.length} pairs)`,
  unseenAccuracy,
  'accuracy',
  '>= 0.60',
  unseenAccuracy >= 0.6,
);

const table = results.map((r) => [
  r.name,
  r.value >= 100
    ? Math.round(r.value).toLocaleString('en-US')
    : r.value.toFixed(r.unit === 'accuracy' ? 3 : 2),
  r.unit,
  r.goal ?? '',
  r.met === null ? '' : r.met ? 'yes' : 'NO',
]);
const header = ['figure', 'value', 'unit', 'goal', 'met'];
const widths = header.map((h, i) =>
  Math.max(h.length, ...table.map((row) => String(row[i]).length)),
);
const line = (row) => row.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));
console.log(
  `(training run: ${report.epochsRun} epochs, ${report.data.trainPairs} train pairs; machine load shared with other jobs)`,
);

const outDir = fileURLToPath(
  new URL(`../../../bench/${smoke ? 'results-smoke' : 'results'}/`, import.meta.url),
);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'reward-model.json'), `${JSON.stringify(results, null, 2)}\n`);
