// pnpm bench: reward-server throughput (single /score and /score/batch) and the rollout loop
// with simulated policy latency. Runs the built dist; writes ../../bench/results/rl.json.
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTrajectoryScorer } from '@autotraj/reward-model';
import { writeRandomRewardModel } from '@autotraj/reward-model/testing';
import { readJsonlArray, trajectorySchema } from '@autotraj/trajectory';
import {
  createPresetReward,
  createReward,
  groupAdvantages,
  mathOutcome,
  runRollouts,
  trajectoryFromPolicyText,
} from '../dist/index.js';
import { createUncheckedPresetReward, groupAdvantagesUnchecked } from '../dist/internal/index.js';
import { load } from './load.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// BENCH_SMOKE=1 (`./dev bench:smoke`, CI): tiny sizes, goals not judged; proves the bench runs.
const smoke = process.env.BENCH_SMOKE === '1';
const seconds = Number(process.env.BENCH_SECONDS ?? (smoke ? 0.5 : 3));
// The machine is shared: every load run is repeated and the median run (by throughput) reported.
const repeats = Number(process.env.BENCH_REPEATS ?? (smoke ? 1 : 3));
const tora = readFileSync(join(here, '../../../../shared/data/tora/gsm8k.dev.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const texts = tora.map((r) => r.solution);
const model = await writeRandomRewardModel(
  join(mkdtempSync(join(tmpdir(), 'rl-bench-')), 'model.onnx'),
);
const results = [];
const loadAtStart = loadavg()[0];
const record = (name, value, unit, goal = null, met = null) =>
  results.push({ name, value: Number(value.toFixed(2)), unit, goal, met: smoke ? null : met });

async function withServer(maxBatchSize, fn) {
  const child = fork(join(here, 'serve-child.mjs'), [model, String(maxBatchSize)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url } = await new Promise((resolve) => child.once('message', resolve));
  try {
    const runs = [];
    for (let i = 0; i < repeats; i++) runs.push(await fn(url));
    runs.sort((a, b) => a.rps - b.rps);
    const out = {
      ...runs[Math.floor(runs.length / 2)],
      failures: runs.reduce((n, r) => n + r.failures, 0),
    };
    child.send('metrics');
    const { metrics } = await new Promise((resolve) => child.once('message', resolve));
    return { ...out, meanBatch: metrics.batches === 0 ? 0 : metrics.batchItems / metrics.batches };
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const singleBodies = texts.map((t) => JSON.stringify({ trajectory: t }));
const isScore = (body) => /^\{"score":-?[\d.e+-]+\}$/.test(body);

// 1. Single-trajectory /score requests (paper contract), micro-batched.
const single = await withServer(256, (url) =>
  load({
    url,
    path: '/score',
    bodies: singleBodies,
    connections: 64,
    durationMs: seconds * 1000,
    check: isScore,
  }),
);
record(
  'server /score single requests (64 connections, micro-batched)',
  single.rps,
  'req/s',
  '>= 5000',
  single.rps >= 5000,
);
record('server /score p50 latency', single.p50, 'ms');
record('server /score p99 latency', single.p99, 'ms');
record('server /score mean micro-batch size', single.meanBatch, 'trajectories');
record('server /score failed responses', single.failures, 'responses', '0', single.failures === 0);

// Baseline side by side: the same load with micro-batching off (one ONNX call per request).
const unbatched = await withServer(1, (url) =>
  load({
    url,
    path: '/score',
    bodies: singleBodies,
    connections: 64,
    durationMs: seconds * 1000,
    check: isScore,
  }),
);
record('server /score single requests, micro-batching off (baseline)', unbatched.rps, 'req/s');
record('micro-batching speed-up on /score', single.rps / unbatched.rps, 'x');

// 2. The batched endpoint: 64 trajectories per request.
const per = 64;
const batchBodies = Array.from({ length: 40 }, (_, i) =>
  JSON.stringify({
    trajectories: Array.from({ length: per }, (_, k) => texts[(i * per + k) % texts.length]),
  }),
);
const batched = await withServer(512, (url) =>
  load({
    url,
    path: '/score/batch',
    bodies: batchBodies,
    connections: 8,
    durationMs: seconds * 1000,
  }),
);
record(
  'server /score/batch throughput (64 per request, 8 connections)',
  batched.rps * per,
  'trajectories/s',
  '>= 20000',
  batched.rps * per >= 20000,
);
record('server /score/batch p50 latency', batched.p50, 'ms');
record('server /score/batch p99 latency', batched.p99, 'ms');
record(
  'server /score/batch failed responses',
  batched.failures,
  'responses',
  '0',
  batched.failures === 0,
);

// Reference: the ONNX scorer alone, in process, on the same (pre-parsed) trajectories: featurize + run.
const scorer = await openTrajectoryScorer({ path: model, intraOpNumThreads: 1 });
const items = texts.map((t) => ({ trajectory: trajectoryFromPolicyText(t) }));
let scored = 0;
const until = performance.now() + seconds * 1000;
const t0 = performance.now();
while (performance.now() < until) {
  for (let i = 0; i < items.length; i += 256) {
    await scorer.score(items.slice(i, i + 256));
    scored += Math.min(256, items.length - i);
  }
}
record(
  'ONNX scorer alone, in process, batches of 256 (reference, one core)',
  scored / ((performance.now() - t0) / 1000),
  'trajectories/s',
);

// 3. Rollout loop with a simulated policy: each rollout takes `latency` ms; rewards (math
// outcome + RM on correct answers) are scored in batches while others generate.
const latency = 50;
const concurrency = 64;
const prompts = tora
  .filter((r) => r.model === 'tora-70b')
  .slice(0, smoke ? 16 : 256)
  .map((r) => ({
    id: `gsm8k-${r.idx}`,
    question: r.question,
    goldAnswers: [r.gt],
    dataSource: 'gsm8k',
    metadata: {},
  }));
const byQuestion = new Map(tora.map((r) => [r.question, r.solution]));
const outDir = mkdtempSync(join(tmpdir(), 'rl-bench-rollouts-'));
// The batches the loop passes its reward, kept for the entry-check section below (what a
// checked reward of the caller's is given in a real run).
const rolloutBatches = [];
const rolloutReward = createReward({
  format: null,
  outcome: mathOutcome(),
  trajectoryModel: scorer,
});
const summary = await runRollouts({
  prompts,
  groupSize: 4,
  reward: {
    score: (items) => {
      rolloutBatches.push(items);
      return rolloutReward.score(items);
    },
  },
  outDir,
  concurrency,
  rewardBatchSize: 64,
  generate: async (task, { rolloutIndex, groupId }) => {
    await new Promise((r) => setTimeout(r, latency));
    return trajectoryFromPolicyText(byQuestion.get(task.question), {
      question: task.question,
      taskId: task.id,
      id: `${groupId}/${rolloutIndex}`,
    });
  },
});
const rolloutRate = summary.rollouts / (summary.durationMs / 1000);
const ideal = concurrency / (latency / 1000);
record(
  `rollout loop throughput (${latency} ms simulated policy, concurrency ${concurrency}, G=4)`,
  rolloutRate,
  'rollouts/s',
);
record(
  'rollout loop efficiency vs policy-bound ideal (concurrency / latency)',
  rolloutRate / ideal,
  'ratio',
);
record('rollout loop reward batches', summary.rewardBatches, 'calls');
await scorer.close();

// What the entry-point input checks cost on the reward path: the checked functions of the main
// entry against the same functions unchecked (/internal), side by side in one run, passes
// alternating, best CPU time of each (on a loaded machine the steadier measure).
{
  const items = texts.map((text, i) => ({
    trajectory: trajectoryFromPolicyText(text, { question: tora[i].question }),
    question: tora[i].question,
    goldAnswers: [String(tora[i].gt)],
    dataSource: 'gsm8k',
    text,
  }));
  const batches = [];
  for (let i = 0; i < items.length; i += 64) batches.push(items.slice(i, i + 64));
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };
  const passes = smoke ? 1 : 16;
  // The ratio, and the CPU time of each side per item scored (us), from the best pass of each.
  const sideBySide = async (runs, itemsPerPass = 1) => {
    const best = runs.map(() => Number.POSITIVE_INFINITY);
    for (let w = 0; w < (smoke ? 0 : 4); w++) for (const run of runs) await run();
    for (let p = 0; p < passes; p++)
      for (const k of p % 2 ? [1, 0] : [0, 1]) {
        const start = cpu();
        await runs[k]();
        best[k] = Math.min(best[k], cpu() - start);
      }
    return { ratio: best[0] / best[1], us: best.map((b) => (b * 1e6) / itemsPerPass) };
  };
  // Items of the caller's whose trajectories the library built (trajectoryFromPolicyText seals
  // them: checked once when built, frozen since; the reward checks only the item object), and
  // the same items read back from JSON (plain objects the reward must walk, as a trainer's own
  // records give it). Earlier sections passed this process's reward check items of other
  // shapes (the rollout loop's): what a pipeline process does, so these run after them.
  const jsonBatches = batches.map((b) => JSON.parse(JSON.stringify(b)));
  // And the trajectories as the library reads them back (readJsonl with trajectorySchema, as
  // rollouts, SFT records and candidates are read): parsed once by the reader, sealed.
  const trajectoriesFile = join(mkdtempSync(join(tmpdir(), 'rl-bench-read-')), 't.jsonl');
  writeFileSync(trajectoriesFile, items.map((i) => `${JSON.stringify(i.trajectory)}\n`).join(''));
  const read = await readJsonlArray(trajectoriesFile, { schema: trajectorySchema });
  const readBatches = jsonBatches.map((b, k) =>
    b.map((item, i) => ({ ...item, trajectory: read[k * 64 + i] })),
  );
  // A pass of the paper reward over the 1,320 items is ~5 ms of CPU: each timed pass scores
  // them 8 times, so one garbage collection or descheduling does not decide the best pass.
  const reps = smoke ? 1 : 8;
  const count = (inputs) => inputs.reduce((n, b) => n + b.length, 0);
  for (const [inputs, label] of [
    // What the rollout loop passes a reward: batches it built and sealed (its groups' texts).
    [rolloutBatches, `batches the rollout loop passes (sealed; ${count(rolloutBatches)} rollouts)`],
    [
      batches,
      `items of the caller's holding library-built trajectories (sealed; ${items.length} ToRA texts, batches of 64)`,
    ],
    [readBatches, `the same items, trajectories read by readJsonl (sealed)`],
    [jsonBatches, `the same items JSON-parsed (checked)`],
  ])
    for (const preset of ['paper', 'autotraj']) {
      const checked = createPresetReward(preset);
      const unchecked = createUncheckedPresetReward(preset);
      const { ratio, us } = await sideBySide(
        [
          async () => {
            for (let r = 0; r < reps; r++) for (const b of inputs) await checked.score(b);
          },
          async () => {
            for (let r = 0; r < reps; r++) for (const b of inputs) await unchecked.score(b);
          },
        ],
        reps * count(inputs),
      );
      record(
        `entry input check: ${preset} reward score time, checked / unchecked, ${label}`,
        ratio,
        'x',
        '<= 1.05',
        ratio <= 1.05,
      );
      record(
        `  ${preset}, ${label.split(' (')[0]}: CPU time per item, checked - unchecked (unchecked ${us[1].toFixed(2)} us)`,
        us[0] - us[1],
        'us',
      );
    }
  const groups = Array.from({ length: smoke ? 200 : 20_000 }, (_, i) => [i % 3, (i * 7) % 5, 1, 0]);
  const { ratio } = await sideBySide([
    async () => {
      for (const g of groups) groupAdvantages(g);
    },
    async () => {
      for (const g of groups) groupAdvantagesUnchecked(g);
    },
  ]);
  record(
    'entry input check: groupAdvantages time, checked / unchecked (groups of 4)',
    ratio,
    'x',
    '<= 1.05',
    ratio <= 1.05,
  );
}
record('machine load average at start (1 min, shared with other jobs)', loadAtStart, 'load');
record('machine load average after the entry check passes (1 min)', loadavg()[0], 'load');

const table = results.map(
  (r) =>
    `${r.name.padEnd(82)} ${String(r.value).padStart(10)} ${r.unit.padEnd(15)} ${r.goal ?? ''}${r.met === null ? '' : r.met ? ' met' : ' NOT met'}`,
);
console.log(
  `rl benchmarks (${cpus().length} cores, load average ${loadAtStart.toFixed(1)} at start, median of ${repeats} runs of ${seconds}s, ONNX scorer: untrained model exported by @autotraj/reward-model, intraOpNumThreads 1; data: ${texts.length} ToRA GSM8K solutions)`,
);
console.log(table.join('\n'));
const out = join(here, `../../../bench/${smoke ? 'results-smoke' : 'results'}/rl.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${out}`);
