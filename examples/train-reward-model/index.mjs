// Train a trajectory reward model on real preference pairs (a correct GSM8K model solution
// over a wrong one for the same problem), export it to ONNX, reload it with onnxruntime-node
// and score pairs it never saw. Run: pnpm start [--out dir]
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  createOnnxScorer,
  exportOnnx,
  gsm8kCorrectnessPairs,
  lengthBaseline,
  pairwiseAccuracy,
  splitPairsByTask,
  trainRewardModel,
} from '@autotraj/reward-model';
import { readJsonlArray } from '@autotraj/trajectory';

const outIndex = process.argv.indexOf('--out');
const out = resolve(outIndex > 0 ? process.argv[outIndex + 1] : 'out');
const data = resolve(import.meta.dirname, '../../../shared/data/gsm8k/model-solutions.dev.jsonl');

const records = await readJsonlArray(data);
const pairs = gsm8kCorrectnessPairs(records);
// Split by problem, so no question is on both sides.
const [train, test] = splitPairsByTask(pairs, { fractions: [0.8, 0.2], seed: 7 });
console.log(
  `${pairs.length} pairs from ${records.length} problems: ${train.length} to train, ${test.length} held out`,
);

const started = performance.now();
const { model, report } = trainRewardModel({ pairs: train, seed: 7 });
console.log(
  `trained ${report.epochsRun} epochs in ${((performance.now() - started) / 1000).toFixed(1)} s (best epoch ${report.bestEpoch})`,
);

mkdirSync(out, { recursive: true });
const path = join(out, 'model.onnx');
await exportOnnx(model, { path, metadata: { 'autotraj.example': 'train-reward-model' } });

const scorer = await createOnnxScorer({ path });
const chosen = await scorer.score(
  test.map((p) => ({ question: p.question, trajectory: p.chosen })),
);
const rejected = await scorer.score(
  test.map((p) => ({ question: p.question, trajectory: p.rejected })),
);
await scorer.close();

console.log(`held-out pairwise accuracy: ${pairwiseAccuracy(chosen, rejected).toFixed(3)}`);
console.log(`length-only baseline:       ${lengthBaseline(train, test).accuracy.toFixed(3)}`);
console.log(`model: ${path}`);
