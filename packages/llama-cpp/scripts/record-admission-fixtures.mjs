#!/usr/bin/env node
// Records the real-model fixtures of the SFT admission gate's tests
// (packages/trajectory/src/admission/qwen-recorded.json): Qwen2.5-Coder-1.5B-Instruct (Q4_K_M) on
// the CPU, greedy, through the real generation loop and repairer with real tools. Each case keeps
// the exact system and user turns the model was given, so the prompts are on record even after
// the project's prompts change.
//
//   ./dev --filter '@autotraj/repairer...' --filter @autotraj/llama-cpp build
//   node packages/llama-cpp/scripts/record-admission-fixtures.mjs [model.gguf] [--fresh]
//
// Slow: a few short generations (~10-15 tokens/s per thread, minutes each on a loaded machine).
// Cases already in the file are kept (each says when it was recorded); --fresh records all.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEvaluator } from '@autotraj/evaluator';
import { generateTrajectory, readTasksJsonl, tirInstructions } from '@autotraj/generation';
import { createRepairer, demoFixtures } from '@autotraj/repairer';
import { createCalculatorRuntime, createPythonPool, createPythonRuntime } from '@autotraj/tools';
import { trajectorySchema } from '@autotraj/trajectory';
import { wrapLanguageModel } from 'ai';
import { createLlamaCppModel } from '../dist/index.js';

const args = process.argv.slice(2);
const fresh = args.includes('--fresh');
const modelPath =
  args.find((a) => !a.startsWith('--')) ??
  join(homedir(), '.cache/autotraj/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf');
const out = fileURLToPath(
  new URL('../../trajectory/src/admission/qwen-recorded.json', import.meta.url),
);

// The user turn that puts Qwen in the tag format (rules and one worked example in the user turn;
// with the same rules only in the system turn it writes textbook prose instead).
const exampleTurn = (
  question,
) => String.raw`Solve the problem below. Reason step by step inside <think></think>.
To run Python, write the code inside <code></code>; print what you need, and its output will appear inside <result></result>.
Use at most 3 tool calls. Never write <result> yourself: the tool's output is put there for you.
Finish with exactly one <answer></answer> that holds the final answer in \boxed{}.

Here is an example of the format.

Problem: A bakery sells muffins for $2.75 each. Lena buys 14 muffins and pays with two $20 bills. How much change does she get?
<think>The muffins cost 14 * 2.75 dollars and the change is 40 minus that. I will compute it with Python.</think>
<code>
cost = 14 * 2.75
print(40 - cost)
</code>
<result>1.5</result>
<think>The muffins cost $38.50, so Lena gets $1.50 back.</think>
<answer>\boxed{1.5}</answer>

Now solve this problem in the same format.

Problem: ${question}`;

const llama = createLlamaCppModel({ modelPath, workers: 1, threads: 2 });
// Every prompt the model is given, so each case records what it answered.
const prompts = [];
const model = wrapLanguageModel({
  model: llama,
  middleware: {
    specificationVersion: 'v4',
    transformParams: async ({ params }) => {
      prompts.push(params.prompt);
      return params;
    },
  },
});
const turns = (prompt) => {
  const text = (role) =>
    prompt
      .filter((m) => m.role === role)
      .map((m) =>
        typeof m.content === 'string'
          ? m.content
          : m.content.map((p) => (p.type === 'text' ? p.text : '')).join(''),
      );
  return { system: text('system')[0] ?? null, user: text('user')[0] ?? null };
};

// One attempt with a long deadline: a CPU model on a loaded machine is slow, not failing.
const retry = { retries: 0, timeoutMs: 1_800_000 };
const pool = createPythonPool({ size: 1 });
const tools = [createPythonRuntime({ pool }), createCalculatorRuntime()];
const tasks = [];
for await (const task of readTasksJsonl(demoFixtures.tasksPath, { limit: 3 })) tasks.push(task);
const earlier = !fresh && existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')).cases : [];
const cases = [];
const record = async (name, what, run) => {
  const kept = earlier.find((c) => c.name === name);
  if (kept !== undefined) {
    cases.push(kept);
    return trajectorySchema.parse(kept.trajectory);
  }
  const first = prompts.length;
  const started = Date.now();
  const trajectory = await run();
  const recordedAt = new Date().toISOString(); // when the case finished
  const { system, user } = turns(prompts[first]);
  const seconds = (Date.now() - started) / 1000;
  cases.push({ name, what, recordedAt, seconds, system, user, trajectory });
  console.error(
    `${name}: ${trajectory.metadata.generation.finishReason}, ${trajectory.steps.length} steps, ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  return trajectory;
};

try {
  const policy = (task, maxOutputTokens, instructions, prompt) =>
    generateTrajectory({
      model,
      task,
      tools,
      instructions,
      prompt,
      sampling: { temperature: 0, maxOutputTokens },
      retry,
      modelName: 'local:qwen2.5-coder-1.5b-instruct-q4_k_m',
    });
  const sys = tirInstructions({ toolNames: tools.map((t) => t.name), maxToolCalls: 3 });
  const [t0, t1] = tasks;
  await record(
    'good',
    'policy, rules and a worked example in the user turn: should pass the gate',
    () => policy(t0, 320, 'You are a helpful assistant.', exampleTurn(t0.question)),
  );
  const cutOff = await record(
    'cut-off',
    'the same prompt with 40 output tokens: stops at the token limit (finishReason length)',
    () => policy(t1, 40, 'You are a helpful assistant.', exampleTurn(t1.question)),
  );
  const prose = await record(
    'prose-no-answer',
    "policy, the project's text-tag rules in the system turn only: textbook prose with a \\boxed{} and no tag at all",
    () => policy(t1, 320, sys, t1.question),
  );
  await record(
    'markdown-fence',
    'policy asked plainly to use Python: markdown code fences instead of <code>, no <answer>',
    () =>
      policy(
        t1,
        256,
        'You are a helpful assistant.',
        `${t1.question}\nUse Python to compute the answer.`,
      ),
  );
  const evaluator = createEvaluator({ preset: 'paper' });
  const repairer = createRepairer({
    model,
    tools,
    evaluator,
    sampling: { temperature: 0, maxOutputTokens: 320 },
    retry,
    modelName: 'local:qwen2.5-coder-1.5b-instruct-q4_k_m',
  });
  await record(
    'meta-text-repair',
    "Qwen repairing its own prose-no-answer candidate with the repairer's prompt (question, flawed trajectory, evaluator diagnostics): accepted by the paper's rule",
    async () => {
      const result = await repairer.repair({ task: t1, trajectory: prose });
      console.error(`repair: ${result.status} (${result.reason})`);
      return result.repaired;
    },
  );
  await record(
    'meta-text-repair-tags',
    "Qwen repairing its own cut-off tag-format candidate with the repairer's prompt",
    async () => {
      const result = await repairer.repair({ task: t1, trajectory: cutOff });
      console.error(`repair: ${result.status} (${result.reason})`);
      return result.repaired;
    },
  );
  const t2 = tasks[2];
  const prose2 = await record(
    'prose-no-answer-2',
    'the prose-no-answer prompt on the third demo problem',
    () => policy(t2, 320, sys, t2.question),
  );
  await record(
    'meta-text-repair-2',
    "Qwen repairing its own prose-no-answer-2 candidate with the repairer's prompt",
    async () => {
      const result = await repairer.repair({ task: t2, trajectory: prose2 });
      console.error(`repair: ${result.status} (${result.reason})`);
      return result.repaired;
    },
  );
} finally {
  await pool.close();
  await llama.close();
}

writeFileSync(
  out,
  `${JSON.stringify(
    {
      note: 'Recorded from the real model (not authored) by packages/llama-cpp/scripts/record-admission-fixtures.mjs: Qwen2.5-Coder-1.5B-Instruct Q4_K_M on the CPU through node-llama-cpp, greedy (temperature 0), real Python and calculator tools. Each case holds the exact system and user turns the model was given and the trajectory the pipeline built from its output.',
      model: basename(modelPath),
      tasks: tasks.map((t) => ({ id: t.id, question: t.question, goldAnswers: t.goldAnswers })),
      cases,
    },
    null,
    2,
  )}\n`,
);
console.error(`wrote ${out}`);
