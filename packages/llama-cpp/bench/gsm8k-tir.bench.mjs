// What the two real tiny models do on GSM8K with the paper's TIR prompt, through the real
// synthesis pipeline (`synthesize` from @autotraj/repairer: text tags, Python + calculator in
// the sandbox, the `paper` evaluator preset, the LLM-as-Repairer with the pipeline's acceptance).
//
//   ./dev build && ./dev --filter @autotraj/llama-cpp bench:gsm8k [-- --limit 5] [--chunk 10]
//
// Cells: each model x {greedy, T=0.3 seed 1}, one candidate per problem, repaired by the same
// model; and gemma3 repairing smollm2's candidates (replayed from the cassette recorded while
// smollm2 ran, so they are the very same candidates). Long and resumable: every cell is a
// synthesis output directory whose journal holds one line per finished problem, and a rerun
// skips those. Problems are done in rounds of `--chunk` over all cells, so a run cut short
// leaves every cell with about the same N. Writes bench/results/llama-cpp-gsm8k.json (the
// format scripts/bench-summary.mjs reads) and <out>/summary.json; `--report` only re-counts.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEvaluator } from '@autotraj/evaluator';
import {
  createRecordingModel,
  createReplayModel,
  markContinuation,
  readTasksJsonl,
} from '@autotraj/generation';
import { createRepairer, synthesize } from '@autotraj/repairer';
import { createCalculatorRuntime, createPythonPool, createPythonRuntime } from '@autotraj/tools';
import { createLlamaCppModel, fetchedModelPath } from '../dist/index.js';
import { cellCounts, cellThroughput } from './gsm8k-counts.mjs';

// `pnpm bench:gsm8k -- --limit 5` passes the `--` through.
const argv = process.argv.slice(2);
const { values: args } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: {
    limit: { type: 'string', default: '50' },
    chunk: { type: 'string', default: '10' },
    out: { type: 'string' },
    tasks: { type: 'string' },
    report: { type: 'boolean', default: false },
  },
});
const repoRoot = new URL('../../../', import.meta.url).pathname;
const limit = Number(args.limit);
const chunk = Number(args.chunk);
if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(chunk) || chunk < 1)
  throw new Error(
    `--limit and --chunk must be positive integers (got ${args.limit}, ${args.chunk})`,
  );
const outDir = args.out ?? join(repoRoot, '.cache/bench/gsm8k-tir');
const tasksPath = args.tasks ?? join(repoRoot, '../shared/data/gsm8k/train.jsonl');
const WORKERS = 2;
const THREADS = 1;
const MAX_TOKENS = 512; // as `autotraj synthesize --model local:...`: tiny models may not stop
const SEED = 1;
const settings = {
  greedy: { temperature: 0, seed: SEED, maxOutputTokens: MAX_TOKENS },
  't0.3': { temperature: 0.3, seed: SEED, maxOutputTokens: MAX_TOKENS },
};
// [cell name, policy model, repairer model, setting]; the cross cells replay smollm2's candidates.
const cells = [
  ['smollm2-greedy', 'smollm2', 'smollm2', 'greedy'],
  ['smollm2-t0.3', 'smollm2', 'smollm2', 't0.3'],
  ['gemma3-greedy', 'gemma3', 'gemma3', 'greedy'],
  ['gemma3-t0.3', 'gemma3', 'gemma3', 't0.3'],
  ['smollm2-greedy-repaired-by-gemma3', 'smollm2', 'gemma3', 'greedy'],
  ['smollm2-t0.3-repaired-by-gemma3', 'smollm2', 'gemma3', 't0.3'],
];
const cassetteOf = (setting) => join(outDir, `smollm2-${setting}`, 'smollm2.cassette.jsonl');

const readJsonlFile = (path) =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .flatMap((line) => {
          try {
            return [JSON.parse(line)];
          } catch {
            return []; // a line cut by a kill: that problem is redone on rerun
          }
        })
    : [];
const load = () => loadavg().map((l) => Number(l.toFixed(2)));

async function runCell(cell, models, tools, upTo) {
  const [name, policyName, repairName, setting] = cell;
  const dir = join(outDir, name);
  mkdirSync(dir, { recursive: true });
  const cross = policyName !== repairName;
  const evaluator = createEvaluator({ preset: 'paper' });
  let policyModel = models.get(policyName);
  let recorder;
  if (cross) {
    // The same candidates the smollm2 cell sampled, answered from its cassette.
    policyModel = markContinuation(createReplayModel({ cassette: cassetteOf(setting) }), 'native');
  } else if (policyName === 'smollm2') {
    recorder = createRecordingModel({ model: policyModel, cassette: cassetteOf(setting) });
    policyModel = markContinuation(recorder, 'native');
  }
  const repairModel = cross ? models.get(repairName) : policyModel;
  const retry = { timeoutMs: 900_000 };
  const repairer = createRepairer({
    model: repairModel,
    tools,
    evaluator,
    strategy: 'regenerate',
    maxAttempts: 1,
    modelName: `local:${repairName}`,
    retry,
    sampling: { temperature: 0, maxOutputTokens: MAX_TOKENS },
  });
  const runId = new Date().toISOString();
  const loadStart = load();
  const started = performance.now();
  let done = 0;
  try {
    const summary = await synthesize({
      tasks: readTasksJsonl(tasksPath, { limit: upTo }),
      total: upTo,
      policy: {
        model: policyModel,
        tools,
        sampling: settings[setting],
        modelName: `local:${policyName}`,
        retry,
      },
      repairer,
      evaluator,
      n: 1,
      concurrency: WORKERS,
      outDir: dir,
      config: { bench: 'gsm8k-tir', cell: name, workers: WORKERS, threads: THREADS },
      onProgress: (event) => {
        if (event.type === 'task-done') {
          done++;
          appendFileSync(
            join(dir, 'progress.jsonl'),
            `${JSON.stringify({ runId, taskId: event.taskId, atMs: Math.round(performance.now() - started), load: load() })}\n`,
          );
          console.log(`${name}: ${event.done}/${upTo} problems (${event.failed} failed)`);
        }
        if (event.type === 'task-failed')
          console.log(`${name}: FAILED ${event.taskId}: ${event.reason}`);
      },
    });
    appendFileSync(
      join(dir, 'runs.jsonl'),
      `${JSON.stringify({ runId, upTo, done, failed: summary.run.failed, wallMs: summary.timings.wallMs, loadStart, loadEnd: load(), workers: WORKERS, threads: THREADS, cores: cpus().length })}\n`,
    );
  } finally {
    recorder?.writer.close();
  }
}

async function runAll() {
  const pool = createPythonPool({ size: WORKERS });
  const tools = [createPythonRuntime({ pool }), createCalculatorRuntime()];
  try {
    for (let upTo = Math.min(chunk, limit); ; upTo = Math.min(upTo + chunk, limit)) {
      // One model loaded at a time: smollm2's cells, then gemma3's and the cross cells.
      for (const group of [['smollm2'], ['gemma3']]) {
        const model = createLlamaCppModel({
          modelPath: fetchedModelPath(group[0]),
          modelId: `local:${group[0]}`,
          workers: WORKERS,
          threads: THREADS,
          contextSize: 4096,
        });
        markContinuation(model, 'native');
        try {
          await model.ready();
          const models = new Map([[group[0], model]]);
          for (const cell of cells.filter((c) => c[2] === group[0]))
            await runCell(cell, models, tools, upTo);
        } finally {
          await model.close();
        }
      }
      if (upTo >= limit) break;
    }
  } finally {
    await pool.close();
  }
}

/** The README's table: one row per cell, every figure with its N. */
function markdownTable(summary) {
  const head = [
    'policy / decoding',
    'repairer',
    'N',
    'well-formed',
    '>= 1 tool call',
    'tool calls',
    'code cells ran',
    'correct',
    'repairs accepted (well-formed)',
    'output tokens/s',
    'trajectories/min',
    'load avg (1 min)',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- |').join('')}`];
  for (const [name, c] of Object.entries(summary.cells)) {
    const own = c.policy === c.repairer;
    const setting = name.includes('greedy') ? 'greedy' : 'T=0.3, seed 1';
    const dash = 'as above';
    lines.push(
      `| ${c.policy} / ${setting} | ${c.repairer} | ${c.problems} | ${own ? c.wellFormed : dash} | ${own ? c.withToolCall : dash} | ${own ? c.toolCalls : dash} | ${own ? `${c.codeCellsRan} of ${c.codeCells}` : dash} | ${own ? c.correct : dash} | ${c.repairsAccepted} of ${c.repairsAttempted} (${c.repairsAcceptedWellFormed}) | ${c.tokensPerSecond.toFixed(1)} | ${c.trajectoriesPerMinute.toFixed(2)} | ${c.loadAverage1m === null ? '' : `${c.loadAverage1m.min}-${c.loadAverage1m.max}`} |`,
    );
  }
  return lines.join('\n');
}

function report() {
  const summary = { date: new Date().toISOString(), tasks: tasksPath, limit, cells: {} };
  const rows = [];
  for (const [name, policy, repair, setting] of cells) {
    const dir = join(outDir, name);
    const entries = readJsonlFile(join(dir, 'journal.jsonl'));
    if (entries.length === 0) continue;
    const counts = cellCounts(entries);
    const speed = cellThroughput(entries, readJsonlFile(join(dir, 'progress.jsonl')), {
      repairsOnly: policy !== repair,
    });
    const runs = readJsonlFile(join(dir, 'runs.jsonl'));
    const loads = readJsonlFile(join(dir, 'progress.jsonl')).map((p) => p.load[0]);
    summary.cells[name] = {
      policy,
      repairer: repair,
      setting: settings[setting],
      workers: WORKERS,
      threads: THREADS,
      ...counts,
      ...speed,
      loadAverage1m:
        loads.length === 0 ? null : { min: Math.min(...loads), max: Math.max(...loads) },
      runs,
    };
    const record = (figure, value, unit) =>
      rows.push({
        name: `gsm8k ${name}: ${figure}`,
        value: Number(value.toFixed(3)),
        unit,
        goal: null,
        met: null,
      });
    const of = `of ${counts.problems} problems`;
    if (policy === repair) {
      record('well-formed trajectories', counts.wellFormed, of);
      record('trajectories with >= 1 tool call', counts.withToolCall, of);
      record('tool calls made', counts.toolCalls, 'calls');
      record('code cells that ran', counts.codeCellsRan, `of ${counts.codeCells} cells`);
      record('correct answers', counts.correct, of);
    }
    record('repairs accepted', counts.repairsAccepted, `of ${counts.repairsAttempted} attempted`);
    record('output tokens/s (2 workers x 1 thread)', speed.tokensPerSecond, 'tokens/s');
    record('trajectories/minute', speed.trajectoriesPerMinute, 'trajectories/min');
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const results = join(repoRoot, 'bench/results');
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'llama-cpp-gsm8k.json'), `${JSON.stringify(rows, null, 2)}\n`);
  for (const row of rows) console.log(`${row.name}: ${row.value} ${row.unit}`);
  console.log(`\n${markdownTable(summary)}\n`);
  console.log(`wrote ${join(outDir, 'summary.json')} and bench/results/llama-cpp-gsm8k.json`);
}

// The Gemma file has no chat template; the SDK would print that warning on every call.
globalThis.AI_SDK_LOG_WARNINGS = false;
console.log(
  `${cpus().length} cores, load average ${load().join(' ')}; ${WORKERS} workers x ${THREADS} thread`,
);
if (!args.report) await runAll();
report();
console.log(`load average at the end ${load().join(' ')}`);
