// Benchmarks for @autotraj/tools, run against the built dist: `pnpm --filter @autotraj/tools bench`.
// Writes ../../bench/results/tools.json ([{ name, value, unit, goal, met }]).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createBm25Index, createPythonPool } from '../dist/index.js';

// BENCH_SMOKE=1 (`./dev bench:smoke`, CI): tiny sizes, goals not judged; proves the bench runs.
const smoke = process.env.BENCH_SMOKE === '1';
const size = (full, tiny) => (smoke ? tiny : full);
const here = new URL('.', import.meta.url);
const sharedData = (rel) => new URL(`../../../../shared/data/${rel}`, here);
const results = [];
const record = (name, value, unit, goal = null, met = null) =>
  results.push({ name, value: Number(value.toFixed(3)), unit, goal, met: smoke ? null : met });
const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const now = () => performance.now();

function spawnOnce(argv) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', () =>
      out.trim() === '2' ? resolve() : reject(new Error(`unexpected output ${out}`)),
    );
  });
}

async function latencies(fn, n) {
  const samples = [];
  for (let i = 0; i < n; i++) {
    const t = now();
    await fn();
    samples.push(now() - t);
  }
  return samples.sort((a, b) => a - b);
}

// 1. Warm round trip vs a fresh interpreter per call, side by side.
const pool = createPythonPool({ size: 1 });
const isolation = await pool.isolation();
console.log(isolation.summary);
for (let i = 0; i < size(300, 10); i++) await pool.run('print(1+1)');
const warm = await latencies(
  async () => {
    const r = await pool.run('print(1+1)');
    if (r.stdout !== '2\n') throw new Error('bad output');
  },
  size(3000, 50),
);
await pool.close();
const python = execFileSync(
  'python3',
  ['-c', 'import os, sys; print(os.path.realpath(sys.executable))'],
  { encoding: 'utf8' },
).trim();
const spawned = await latencies(() => spawnOnce([python, '-c', 'print(1+1)']), size(150, 5));
const warmP50 = percentile(warm, 50);
const spawnP50 = percentile(spawned, 50);
record('python warm print(1+1) p50', warmP50, 'ms', '<= 3 ms', warmP50 <= 3);
record('python warm print(1+1) p99', percentile(warm, 99), 'ms');
record('python3 -c spawn per call p50', spawnP50, 'ms');
record('python3 -c spawn per call p99', percentile(spawned, 99), 'ms');
record(
  'warm pool speedup over spawn (p50)',
  spawnP50 / warmP50,
  'x',
  '>= 15x',
  spawnP50 / warmP50 >= 15,
);
if (isolation.mode === 'namespaces') {
  const wrapped = await latencies(
    () =>
      spawnOnce([
        'unshare',
        '--mount',
        '--net',
        '--pid',
        '--fork',
        '--kill-child',
        '--mount-proc',
        python,
        '-c',
        'print(1+1)',
      ]),
    size(100, 5),
  );
  record(
    'unshare + python3 -c spawn per call p50 (same namespaces as the pool)',
    percentile(wrapped, 50),
    'ms',
  );
}

// 2. Throughput with pool sizes 1, 2, 4 (2,000 calls queued at once).
for (const poolSize of [1, 2, 4]) {
  const p = createPythonPool({ size: poolSize });
  await p.ready();
  for (let i = 0; i < 50; i++) await p.run('print(1+1)');
  const calls = size(2000, 50);
  const t = now();
  await Promise.all(Array.from({ length: calls }, (_, i) => p.run(`print(${i} + 1)`)));
  const seconds = (now() - t) / 1000;
  await p.close();
  record(
    `python calls/s, pool size ${poolSize} (${cpus().length} cores)`,
    calls / seconds,
    'calls/s',
  );
}

// 3. BM25 over a 10k-document corpus made from GSM8K train questions and answers.
const train = readFileSync(sharedData('gsm8k/train.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const docs = [];
train.forEach((row, i) => {
  docs.push({ id: `q${i}`, title: `question ${i}`, text: row.question });
  docs.push({ id: `a${i}`, title: `answer ${i}`, text: row.answer });
});
const corpus = docs.slice(0, size(10_000, 500));
let t = now();
const index = createBm25Index(corpus);
record('BM25 index build, 10k docs', now() - t, 'ms');
const queries = readFileSync(sharedData('gsm8k/model-solutions.dev.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .slice(0, size(undefined, 60))
  .map((l) => JSON.parse(l).question);
for (const q of queries.slice(0, 50)) index.searchSync(q, { topK: 10 });
t = now();
let hits = 0;
for (const q of queries) hits += index.searchSync(q, { topK: 10 }).length;
const qps = queries.length / ((now() - t) / 1000);
record(
  `BM25 queries/s, 10k docs, top-10, full GSM8K questions as queries (${hits} hits)`,
  qps,
  'queries/s',
);
const shortQueries = queries.map((q) => q.split(/\s+/).slice(0, 6).join(' '));
t = now();
for (const q of shortQueries) index.searchSync(q, { topK: 10 });
record(
  'BM25 queries/s, 10k docs, top-10, 6-word queries',
  shortQueries.length / ((now() - t) / 1000),
  'queries/s',
);

const width = Math.max(...results.map((r) => r.name.length));
console.log(`\n${'benchmark'.padEnd(width)}  ${'value'.padStart(12)}  unit         goal       met`);
for (const r of results) {
  console.log(
    `${r.name.padEnd(width)}  ${String(r.value).padStart(12)}  ${r.unit.padEnd(11)}  ${(r.goal ?? '-').padEnd(9)}  ${r.met === null ? '-' : r.met}`,
  );
}
const outDir = new URL(`../../../bench/${smoke ? 'results-smoke' : 'results'}/`, here);
mkdirSync(outDir, { recursive: true });
writeFileSync(new URL('tools.json', outDir), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${new URL('tools.json', outDir).pathname}`);
