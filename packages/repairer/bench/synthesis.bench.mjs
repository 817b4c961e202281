// Synthesis throughput against a loopback OpenAI-compatible endpoint that adds 50 ms to every
// completion. Ideal = concurrency / latency model calls per second (each trajectory needs
// several sequential calls: one per tool call plus the final one, so calls are what we
// count). Runs the BUILT package (pnpm build first). Writes ../../bench/results/repairer.json.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvaluator } from '@autotraj/evaluator';
import { createLimiter, createVllmProvider, readTasksJsonl } from '@autotraj/generation';
import { createRepairer, synthesize } from '@autotraj/repairer';
import { createCalculatorRuntime, createPythonPool, createPythonRuntime } from '@autotraj/tools';
import { measureCpuBudget } from './cpu-budget.mjs';

// BENCH_SMOKE=1 (`./dev bench:smoke`, CI): tiny sizes, goals not judged; proves the bench runs.
const smoke = process.env.BENCH_SMOKE === '1';
const LATENCY_MS = 50;
const TASKS = Number(process.env.BENCH_TASKS ?? (smoke ? 24 : 800));
const N = 4;
const train = new URL('../../../../shared/data/gsm8k/train.jsonl', import.meta.url).pathname;
const resultsPath = new URL(
  `../../../bench/${smoke ? 'results-smoke' : 'results'}/repairer.json`,
  import.meta.url,
).pathname;

async function startServer() {
  const child = spawn(
    process.execPath,
    [
      new URL('./loopback.child.mjs', import.meta.url).pathname,
      train,
      String(TASKS),
      String(LATENCY_MS),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const baseURL = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(String(d).trim()));
    child.once('exit', (code) => reject(new Error(`loopback server exited ${code}`)));
  });
  return { baseURL, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

// Instant stand-in for Python, for the side-by-side "pipeline only" run that separates the
// pipeline's own cost from the tools' (the policy's code is not run; the outputs differ).
const stubPython = {
  name: 'python',
  run: async () => ({ output: '42', isError: false, durationMs: 0 }),
};

async function loadTasks(limit) {
  const tasks = [];
  for await (const task of readTasksJsonl(train, { limit })) tasks.push(task);
  return tasks;
}

async function run({ baseURL, concurrency, tasks, pool, stub, fetch }) {
  const model = createVllmProvider({ baseURL, ...(fetch ? { fetch } : {}) }).languageModel(
    'scripted-policy',
  );
  const tools = [stub ? stubPython : createPythonRuntime({ pool }), createCalculatorRuntime()];
  const evaluator = createEvaluator({ preset: 'paper' });
  const out = mkdtempSync(join(tmpdir(), 'autotraj-bench-'));
  const limiter = createLimiter(concurrency);
  // Slot occupancy, sampled: how much of the concurrency the pipeline actually keeps busy.
  let samples = 0;
  let busy = 0;
  const sampler = setInterval(() => {
    samples++;
    busy += limiter.active;
  }, 5);
  try {
    const summary = await synthesize({
      limiter,
      tasks,
      policy: { model, tools },
      repairer: createRepairer({ model, tools, evaluator }),
      evaluator,
      n: N,
      outDir: out,
      concurrency,
    });
    return { ...summary, occupancy: samples > 0 ? busy / samples / concurrency : 0 };
  } finally {
    clearInterval(sampler);
    rmSync(out, { recursive: true, force: true });
  }
}

const server = await startServer();
const pool = createPythonPool({ size: Number(process.env.BENCH_POOL ?? 4) });
const rows = [];
try {
  const tasks = await loadTasks(TASKS);
  await run({ baseURL: server.baseURL, concurrency: 8, tasks: tasks.slice(0, 8), pool }); // warm-up: workers, JIT, connections
  const runs = [
    { concurrency: 8, stub: false, label: 'concurrency 8' },
    { concurrency: 64, stub: false, label: 'concurrency 64' },
    {
      concurrency: 64,
      stub: true,
      label: 'concurrency 64, pipeline only (instant Python stand-in)',
    },
    // Side by side: the provider on the runtime's fetch (undici) instead of its default client.
    {
      concurrency: 64,
      stub: false,
      fetch: globalThis.fetch,
      label: "concurrency 64, the runtime's fetch (undici)",
    },
  ];
  for (const { concurrency, stub, label, fetch } of runs) {
    const slice = concurrency === 8 ? tasks.slice(0, Math.ceil(TASKS / 6)) : tasks;
    const load = loadavg()[0];
    const cpu = process.cpuUsage();
    const budget = measureCpuBudget(server.pid);
    const summary = await run({
      baseURL: server.baseURL,
      concurrency,
      tasks: slice,
      pool,
      stub,
      fetch,
    });
    const used = process.cpuUsage(cpu);
    const cores = budget.stop();
    for (const other of cores.busiest)
      console.log(
        `${label}: other process ${other.pid} used ${other.cores.toFixed(2)} cores: ${other.command}`,
      );
    const cpuMsPerCall = (used.user + used.system) / 1000 / summary.timings.modelCalls;
    const t = summary.timings;
    const ideal = concurrency / (LATENCY_MS / 1000);
    const efficiency = (t.modelCallsPerSecond / ideal) * 100;
    const perTrajectory = t.modelCalls / t.trajectories;
    const goal = concurrency === 64 && !stub && !fetch ? '>= 90% of ideal' : null;
    rows.push(
      {
        name: `synthesis throughput vs ideal, ${label}`,
        value: round(efficiency, 1),
        unit: '%',
        goal,
        met: goal === null || smoke ? null : efficiency >= 90,
      },
      {
        name: `model calls/s, ${label} (ideal ${ideal})`,
        value: round(t.modelCallsPerSecond, 1),
        unit: 'calls/s',
        goal: null,
        met: null,
      },
      {
        name: `trajectories/s, ${label} (ideal ${round(ideal / perTrajectory, 1)} at ${round(perTrajectory, 2)} calls each)`,
        value: round(t.trajectoriesPerSecond, 1),
        unit: 'traj/s',
        goal: null,
        met: null,
      },
      {
        name: `pipeline CPU per model call (this process), ${label}`,
        value: round(cpuMsPerCall, 3),
        unit: 'ms',
        goal: null,
        met: null,
      },
      {
        name: `model call wall time seen by the pipeline (server adds ${LATENCY_MS} ms), ${label}`,
        value: round(t.modelMsPerCall, 1),
        unit: 'ms',
        goal: null,
        met: null,
      },
      {
        name: `pipeline main thread busy (event-loop utilisation), ${label}`,
        value: round(cores.eventLoopUtilization * 100, 1),
        unit: '%',
        goal: null,
        met: null,
      },
      ...[
        ['the pipeline (this process)', cores.self],
        ['the loopback server', cores.server],
        ['the Python workers', cores.workers],
        ['other jobs on the machine', cores.others],
      ].map(([who, value]) => ({
        name: `cores used by ${who}, ${label}`,
        value: round(value, 2),
        unit: 'cores',
        goal: null,
        met: null,
      })),
      {
        name: `load average (1 min) at the start, ${label}`,
        value: round(load, 2),
        unit: 'load',
        goal: null,
        met: null,
      },
      {
        name: `concurrency slots busy (mean, sampled every 5 ms), ${label}`,
        value: round(summary.occupancy * 100, 1),
        unit: '%',
        goal: null,
        met: null,
      },
      {
        name: `tool time per trajectory, ${label}`,
        value: round(t.toolMsPerTrajectory, 2),
        unit: 'ms',
        goal: null,
        met: null,
      },
      {
        name: `evaluation time per trajectory, ${label}`,
        value: round(t.evaluationMsPerTrajectory, 3),
        unit: 'ms',
        goal: null,
        met: null,
      },
      {
        name: `trajectories generated, ${label} (${summary.counts.tasks} tasks x ${N} + repairs)`,
        value: t.trajectories,
        unit: 'count',
        goal: null,
        met: null,
      },
    );
  }
} finally {
  await pool.close();
  server.stop();
}

function round(x, digits) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const width = Math.max(...rows.map((r) => r.name.length));
for (const r of rows)
  console.log(
    `${r.name.padEnd(width)}  ${String(r.value).padStart(9)} ${r.unit.padEnd(8)} ${r.goal ?? ''}${r.met === null ? '' : r.met ? '  met' : '  NOT met'}`,
  );
mkdirSync(new URL('.', `file://${resultsPath}`).pathname, { recursive: true });
writeFileSync(resultsPath, `${JSON.stringify(rows, null, 2)}\n`);
console.log(`wrote ${resultsPath}`);
