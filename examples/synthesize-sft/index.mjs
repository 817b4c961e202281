// The SFT stage of the method with the libraries: sample 4 candidates per GSM8K problem,
// evaluate them with the paper's preset, repair the weak ones (tools re-executed, repairs
// re-evaluated), and write sft.jsonl / pairs.jsonl / hard.jsonl. Offline: the policy and the
// repairer answer from the shipped demo cassette (authored fixtures, not a real model).
// Swap `model` for `createOpenAI({ baseURL }).chat(id)` to go live. Run: pnpm start [--out dir]
import { resolve } from 'node:path';
import { createEvaluator } from '@autotraj/evaluator';
import { createReplayModel, readTasksJsonl } from '@autotraj/generation';
import { createRepairer, demoFixtures, synthesize } from '@autotraj/repairer';
import { createCalculatorRuntime, createPythonPool, createPythonRuntime } from '@autotraj/tools';
import { readJsonlArray, sftRecordSchema } from '@autotraj/trajectory';

const outIndex = process.argv.indexOf('--out');
const outDir = resolve(outIndex > 0 ? process.argv[outIndex + 1] : 'out');

const model = createReplayModel({ cassette: demoFixtures.cassettePath });
const pool = createPythonPool({ size: 2 });
console.log((await pool.isolation()).summary);
// The cassette was recorded with these tools, in this order.
const tools = [createPythonRuntime({ pool }), createCalculatorRuntime()];
const evaluator = createEvaluator({ preset: 'paper' });

try {
  const summary = await synthesize({
    tasks: readTasksJsonl(demoFixtures.tasksPath, { limit: 10 }),
    policy: { model, tools, sampling: { temperature: 0.3 }, modelName: demoFixtures.modelId },
    repairer: createRepairer({ model, tools, evaluator, modelName: demoFixtures.modelId }),
    evaluator,
    n: demoFixtures.n,
    outDir,
    concurrency: 8,
  });
  const c = summary.counts;
  console.log(
    `${c.tasks} tasks, ${c.candidates} candidates: ${c.kept} kept, ${c.repairAccepted} repaired, ${c.hard} hard, ${c.discarded} discarded`,
  );
  console.log(`${c.sft} SFT records, ${c.pairs} preference pairs -> ${outDir}`);

  // Every SFT record carries loss-mask spans: tool output is never trained on.
  const [first] = await readJsonlArray(`${outDir}/sft.jsonl`, { schema: sftRecordSchema });
  const tool = first.rendered.spans.filter((s) => s.source === 'tool');
  console.log(
    `first SFT record (${first.origin}): ${first.rendered.text.length} chars, ${tool.length} tool-written spans masked`,
  );
} finally {
  await pool.close();
}
