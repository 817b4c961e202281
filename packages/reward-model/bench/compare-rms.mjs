// Side by side, in one run, on the same split: the transformer reward model (MiniLM, TRL
// RewardTrainer in Python, ONNX), the hashed n-gram model (TypeScript) and the length baseline.
// Train on the real GSM8K pairs of 80% of the problems, report pairwise accuracy on the pairs of
// the other 20% (problems unseen in training), train time, and onnxruntime-node scoring
// throughput at batch sizes 1, 8 and 32. Needs the built package and AUTOTRAJ_PYTHON (./dev):
//   ./dev exec turbo run build --filter=@autotraj/reward-model...
//   AUTOTRAJ_PYTHON=... node packages/reward-model/bench/compare-rms.mjs [--out dir] [--epochs n]
// Writes ../../bench/results/reward-model-compare.json; the models stay in --out.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  exportOnnx,
  gsm8kCorrectnessPairs,
  lengthBaseline,
  openTrajectoryScorer,
  pairwiseAccuracy,
  splitPairsByTask,
  trainRewardModel,
  trainTransformerRewardModel,
} from '../dist/index.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const out = arg('--out', mkdtempSync(join(tmpdir(), 'rm-compare-')));
const epochs = Number(arg('--epochs', '1'));
const maxLength = Number(arg('--max-length', '128'));
// 0: the whole epochs. On 2 shared cores a step of 8 pairs at 128 tokens takes seconds.
const maxSteps = Number(arg('--max-steps', '0'));
const data = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const records = readFileSync(join(data, 'gsm8k/model-solutions.dev.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));
const pairs = gsm8kCorrectnessPairs(records);
// The same split as examples/train-reward-model: by problem, no question on both sides.
const [train, allTest] = splitPairsByTask(pairs, { fractions: [0.8, 0.2], seed: 7 });
// --held-out n: score only the first n held-out pairs (the same ones for every model), to bound
// the transformer's scoring time on a loaded machine.
const test = allTest.slice(0, Number(arg('--held-out', String(allTest.length))));
const passes = Number(arg('--passes', '2'));
const trainTasks = new Set(train.map((p) => p.taskId));
if (test.some((p) => trainTasks.has(p.taskId))) throw new Error('split leaks a problem');
console.log(
  `${pairs.length} GSM8K pairs: ${train.length} train, ${test.length} held out (by problem)`,
);
mkdirSync(out, { recursive: true });

async function heldOut(scorer) {
  const chosen = await scorer.score(
    test.map((p) => ({ question: p.question, trajectory: p.chosen })),
  );
  const rejected = await scorer.score(
    test.map((p) => ({ question: p.question, trajectory: p.rejected })),
  );
  return pairwiseAccuracy(chosen, rejected);
}

/** Trajectories/s at each batch size, over the same held-out trajectories (best of --passes). */
async function throughput(scorer, batchSizes, count) {
  const items = test
    .flatMap((p) => [
      { question: p.question, trajectory: p.chosen },
      { question: p.question, trajectory: p.rejected },
    ])
    .slice(0, count);
  await scorer.score(items.slice(0, 8)); // warm up
  const result = {};
  for (const size of batchSizes) {
    let best = Number.POSITIVE_INFINITY;
    for (let pass = 0; pass < passes; pass++) {
      const t0 = performance.now();
      for (let i = 0; i < items.length; i += size) await scorer.score(items.slice(i, i + size));
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    result[size] = Number((items.length / best).toFixed(1));
  }
  return result;
}

const rows = [];
// 1. Length baseline: sign fitted on train.
const length = lengthBaseline(train, test);
rows.push({ model: 'length baseline', heldOutAccuracy: length.accuracy, trainSeconds: 0 });

// 2. n-gram MLP (TypeScript), defaults of `autotraj train-rm`.
let t0 = performance.now();
const { model } = trainRewardModel({ pairs: train, seed: 7 });
const ngramSeconds = (performance.now() - t0) / 1000;
const ngramPath = join(out, 'ngram', 'model.onnx');
await exportOnnx(model, { path: ngramPath });
const ngram = await openTrajectoryScorer({ path: ngramPath });
rows.push({
  model: 'n-gram MLP (TS)',
  heldOutAccuracy: await heldOut(ngram),
  trainSeconds: ngramSeconds,
  throughput: await throughput(ngram, [1, 8, 32], 256),
});
await ngram.close();

// 3. Transformer: MiniLM-L6 + a one-label head, Bradley-Terry with TRL RewardTrainer.
t0 = performance.now();
const summary = await trainTransformerRewardModel({
  pairs: train,
  outDir: join(out, 'minilm'),
  base: 'minilm',
  epochs,
  maxSteps,
  maxLength,
  batchSize: 8,
  learningRate: 5e-5,
  seed: 7,
  onLog: (line) => {
    if (line.includes("'loss'")) console.log(`  ${line.trim()}`);
  },
  threads: 2,
});
const wall = (performance.now() - t0) / 1000;
const minilm = await openTrajectoryScorer({ path: join(out, 'minilm') });
rows.push({
  model: `MiniLM-L6 (TRL, ${summary.steps} steps of 8 pairs, max ${maxLength} tokens)`,
  heldOutAccuracy: await heldOut(minilm),
  trainSeconds: summary.trainSeconds,
  trainWallSeconds: wall,
  steps: summary.steps,
  throughput: await throughput(minilm, [1, 8, 32], Number(arg('--throughput-items', '64'))),
});
await minilm.close();

console.log('\nmodel | held-out pairwise acc. | train s | traj/s @1 | @8 | @32');
for (const r of rows) {
  const t = r.throughput ?? {};
  console.log(
    `${r.model} | ${r.heldOutAccuracy.toFixed(3)} | ${r.trainSeconds.toFixed(1)} | ${t[1] ?? '-'} | ${t[8] ?? '-'} | ${t[32] ?? '-'}`,
  );
}
const report = {
  pairs: { train: train.length, heldOut: test.length, split: 'by problem, seed 7, 80/20' },
  rows,
  models: out,
  machine: '2 shared cores (other jobs running); ratios in one run, not absolute speeds',
};
const resultsDir = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'reward-model-compare.json'),
  `${JSON.stringify(report, null, 2)}\n`,
);
console.log(`models in ${out}`);
