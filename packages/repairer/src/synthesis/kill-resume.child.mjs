// Child process for kill-resume.test.ts: one synthesis run over the built package against its
// own loopback server. Killed with SIGKILL by the test, then started again on the same outDir.
// A fifth argument takes the candidates from that earlier run instead of sampling them.
import { readFileSync } from 'node:fs';
import { createEvaluator } from '@autotraj/evaluator';
import { createVllmProvider, readTasksJsonl } from '@autotraj/generation';
import { gsm8kPolicyReply, lastUserText, startLoopbackServer } from '@autotraj/generation/testing';
import { createRepairer, synthesize } from '@autotraj/repairer';
import { createCalculatorRuntime, createPythonPool, createPythonRuntime } from '@autotraj/tools';

const [outDir, trainPath, limitText, latencyText, candidatesFrom] = process.argv.slice(2);
const limit = Number(limitText);
const problems = readFileSync(trainPath, 'utf8')
  .split('\n')
  .slice(0, limit)
  .map((line) => JSON.parse(line));
const base = gsm8kPolicyReply({ problems });
// Every third question's repair writes about the repair: the admission gate drops it, so a
// resumed run has dropped.jsonl to rebuild exactly too. Only the repair script opens with
// "<think>I compute", whatever the prompt's wording.
const reply = (request) => {
  const answer = base(request);
  const user = lastUserText(request.messages);
  const leaks = problems.findIndex((p) => user.includes(p.question)) % 3 === 0;
  return leaks && answer.text?.startsWith('<think>I compute')
    ? {
        ...answer,
        text: answer.text.replace(
          '<think>I compute',
          '<think>To fix the flawed trajectory, I compute',
        ),
      }
    : answer;
};
const server = await startLoopbackServer({
  reply,
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
  ...(candidatesFrom === undefined ? {} : { candidates: { from: candidatesFrom } }),
  onProgress: (event) => {
    if (event.type === 'task-done') process.stdout.write(`done ${event.done}\n`);
  },
});
process.stdout.write(`${JSON.stringify(summary.run)}\n`);
await pool.close();
await server.close();
