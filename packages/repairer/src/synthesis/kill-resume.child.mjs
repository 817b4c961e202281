// Child process for kill-resume.test.ts: one synthesis run over the built package against its
// own loopback server. Killed with SIGKILL by the test, then started again on the same outDir.
import { readFileSync } from 'node:fs';
import { createEvaluator } from '@autotraj/evaluator';
import { createVllmProvider, readTasksJsonl } from '@autotraj/generation';
import { gsm8kPolicyReply, startLoopbackServer } from '@autotraj/generation/testing';
import { createRepairer, synthesize } from '@autotraj/repairer';
import { createCalculatorRuntime, createPythonPool, createPythonRuntime } from '@autotraj/tools';

const [outDir, trainPath, limitText, latencyText] = process.argv.slice(2);
const limit = Number(limitText);
const problems = readFileSync(trainPath, 'utf8')
  .split('\n')
  .slice(0, limit)
  .map((line) => JSON.parse(line));
const server = await startLoopbackServer({
  reply: gsm8kPolicyReply({ problems }),
  latencyMs: Number(latencyText),
});
const pool = createPythonPool({ size: 1 });
const model = createVllmProvider({ baseURL: server.baseURL }).languageModel('scripted-policy');
const tools = [createPythonRuntime({ pool }), createCalculatorRuntime()];
const evaluator = createEvaluator({ preset: 'paper' });
const tasks = [];
for await (const task of readTasksJsonl(trainPath, { limit })) tasks.push(task);
const summary = await synthesize({
  tasks,
  policy: { model, tools },
  repairer: createRepairer({ model, tools, evaluator }),
  evaluator,
  n: 2,
  outDir,
  concurrency: 2,
  onProgress: (event) => {
    if (event.type === 'task-done') process.stdout.write(`done ${event.done}\n`);
  },
});
process.stdout.write(`${JSON.stringify(summary.run)}\n`);
await pool.close();
await server.close();
