// TEMPORARY profiling driver (deleted after use): one concurrency-64 run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenAI } from '@ai-sdk/openai';
import { createEvaluator } from '@autotraj/evaluator';
import { createLimiter, createRepairer, readTasksJsonl, synthesize } from '@autotraj/repairer';
import { createCalculatorRuntime, createPythonPool, createPythonRuntime } from '@autotraj/tools';
const TASKS = Number(process.env.BENCH_TASKS ?? 400);
const train = new URL('../../../../shared/data/gsm8k/train.jsonl', import.meta.url).pathname;
const child = spawn(process.execPath, [new URL('./loopback.child.mjs', import.meta.url).pathname, train, String(TASKS), '50'], { stdio: ['ignore', 'pipe', 'inherit'] });
const baseURL = await new Promise((r) => child.stdout.once('data', (d) => r(String(d).trim())));
const pool = createPythonPool({ size: 4 });
const stub = process.env.STUB === '1';
const tasks = []; for await (const t of readTasksJsonl(train, { limit: TASKS })) tasks.push(t);
async function run(concurrency, ts) {
  const model = createOpenAI({ baseURL, apiKey: 'bench' }).chat('scripted-policy');
  const tools = [stub ? { name: 'python', run: async () => ({ output: '42', isError: false, durationMs: 0 }) } : createPythonRuntime({ pool }), createCalculatorRuntime()];
  const evaluator = createEvaluator({ preset: 'paper' });
  const out = mkdtempSync(join(tmpdir(), 'autotraj-prof-'));
  const cpu = process.cpuUsage();
  const s = await synthesize({ limiter: createLimiter(concurrency), tasks: ts, policy: { model, tools }, repairer: createRepairer({ model, tools, evaluator }), evaluator, n: 4, outDir: out, concurrency });
  const u = process.cpuUsage(cpu);
  console.log(concurrency, 'eff', (s.timings.modelCallsPerSecond / (concurrency / 0.05) * 100).toFixed(1), 'cpu/call', ((u.user + u.system) / 1000 / s.timings.modelCalls).toFixed(3), 'modelMs', s.timings.modelMsPerCall.toFixed(1));
  if (process.env.KEEP) console.log(out); else rmSync(out, { recursive: true, force: true });
}
await run(8, tasks.slice(0, 8));
await run(64, tasks);
await pool.close(); child.kill('SIGTERM');
