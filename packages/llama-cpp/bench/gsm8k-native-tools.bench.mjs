// How often a native ai SDK agent on the embedded Qwen2.5-Coder-1.5B makes a real tool call on
// GSM8K: `generateText` with the `tools` option (the model's own chat template lists them, its
// calls are parsed from the completion) and the sandboxed Python tool of @autotraj/tools.
//
//   ./dev --filter @autotraj/llama-cpp build && ./dev exec node packages/llama-cpp/bench/gsm8k-native-tools.bench.mjs \
//     [--limit 5] [--system "<system prompt>" | --no-system] [--out <file>]
//
// Greedy, one worker of one thread, at most 3 steps and 200 output tokens per step. A question
// counts as "called" when at least one call was parsed and executed by the tool (a call the
// SDK rejected, e.g. input that fails the schema, does not count). "correct" is a rough check:
// the last number of the final text equals the gold answer. Writes .cache/bench/gsm8k-native-tools.json
// (or --out).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPythonPool, pythonTool } from '@autotraj/tools';
import { generateText, isStepCount } from 'ai';
import { createLlamaCppModel, fetchedModelPath } from '../dist/index.js';

const { values: args } = parseArgs({
  options: {
    limit: { type: 'string', default: '5' },
    tasks: { type: 'string' },
    system: { type: 'string' },
    'no-system': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const repoRoot = new URL('../../../', import.meta.url).pathname;
const tasksPath = args.tasks ?? join(repoRoot, '../shared/data/gsm8k/train.jsonl');
const limit = Number(args.limit);
const SYSTEM = args['no-system']
  ? undefined
  : (args.system ??
    'Solve the math problem. Use the python tool for the calculations, then state the final answer.');
const MAX_STEPS = 3;
const MAX_TOKENS = 200;

const problems = readFileSync(tasksPath, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .slice(0, limit)
  .map((line) => {
    const { question, answer } = JSON.parse(line);
    return { question, gold: answer.split('####').at(-1).trim().replaceAll(',', '') };
  });

const model = createLlamaCppModel({ modelPath: fetchedModelPath('qwen2.5-coder-1.5b') });
const pool = createPythonPool({ size: 1 });
const started = new Date();
const records = [];
try {
  for (const [index, { question, gold }] of problems.entries()) {
    const t0 = performance.now();
    const result = await generateText({
      model,
      ...(SYSTEM === undefined ? {} : { system: SYSTEM }),
      prompt: question,
      tools: { python: pythonTool({ pool, sessionId: `q${index}` }) },
      stopWhen: isStepCount(MAX_STEPS),
      temperature: 0,
      maxOutputTokens: MAX_TOKENS,
    });
    const calls = result.steps.flatMap((s) => s.toolCalls);
    const results = result.steps.flatMap((s) => s.content.filter((p) => p.type === 'tool-result'));
    const errors = result.steps.flatMap((s) => s.content.filter((p) => p.type === 'tool-error'));
    const numbers = result.text.replaceAll(',', '').match(/-?\d+(?:\.\d+)?/g) ?? [];
    const record = {
      index,
      gold,
      steps: result.steps.length,
      toolCalls: calls.length,
      forms: calls.map((c) => c.providerMetadata?.llamaCpp?.form),
      executed: results.length + errors.length,
      toolErrors: errors.length,
      warnings: result.steps.flatMap((s) => s.warnings ?? []).map((w) => w.message ?? w.details),
      finishReasons: result.steps.map((s) => s.finishReason),
      outputTokens: result.totalUsage.outputTokens,
      correct: numbers.length > 0 && Number(numbers.at(-1)) === Number(gold),
      seconds: Math.round((performance.now() - t0) / 100) / 10,
      code: calls.map((c) => c.input?.code),
      text: result.text,
      load: loadavg()[0],
    };
    records.push(record);
    console.log(JSON.stringify(record));
  }
} finally {
  await model.close();
  await pool.close();
}
const summary = {
  model: 'qwen2.5-coder-1.5b (Q4_K_M)',
  started: started.toISOString(),
  finished: new Date().toISOString(),
  system: SYSTEM ?? null,
  maxSteps: MAX_STEPS,
  maxOutputTokens: MAX_TOKENS,
  n: records.length,
  withExecutedCall: records.filter((r) => r.executed > 0).length,
  toolCalls: records.reduce((n, r) => n + r.toolCalls, 0),
  correct: records.filter((r) => r.correct).length,
  records,
};
const out = args.out ?? join(repoRoot, '.cache/bench/gsm8k-native-tools.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
console.log(
  `${summary.withExecutedCall}/${summary.n} questions with an executed tool call (${summary.toolCalls} calls), ${summary.correct}/${summary.n} correct`,
);
