// Regenerates fixtures/demo-cassette.jsonl, the cassette the CLI and the example replay
// offline. Its responses are AUTHORED FIXTURES, not a real model: a scripted policy
// (gsm8kPolicyReply in src/testing/gsm8k-policy.ts) writes tag-format trajectories from the
// GSM8K reference solutions in five variants (concise, hedging, wrong arithmetic, tool error,
// bad format) and concise or still-hedged repairs. They are served by the loopback
// OpenAI-compatible server, so the cassette holds what the real provider path receives.
// Deterministic: same fixtures + same package code -> byte-identical cassette (lines sorted).
// Run: pnpm --filter @autotraj/repairer build && pnpm --filter @autotraj/repairer make-cassette
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvaluator } from '@autotraj/evaluator';
import { createRecordingModel, createVllmProvider, readTasksJsonl } from '@autotraj/generation';
import { gsm8kPolicyReply, startLoopbackServer } from '@autotraj/generation/testing';
import { createRepairer, demoFixtures, synthesize } from '@autotraj/repairer';
import { createCalculatorRuntime, createPythonPool, createPythonRuntime } from '@autotraj/tools';

const { tasksPath, cassettePath } = demoFixtures;
const problems = readFileSync(tasksPath, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line));

const server = await startLoopbackServer({ reply: gsm8kPolicyReply({ problems }) });
const pool = createPythonPool({ size: 2 });
const scratch = mkdtempSync(join(tmpdir(), 'autotraj-cassette-'));
try {
  const raw = join(scratch, 'raw.jsonl');
  const model = createRecordingModel({
    model: createVllmProvider({ baseURL: server.baseURL }).languageModel(demoFixtures.modelId),
    cassette: raw,
    source: 'authored',
  });
  const tools = [createPythonRuntime({ pool }), createCalculatorRuntime()];
  // Repair prompts carry the evaluator's diagnostics: replays must use this same evaluator.
  const evaluator = createEvaluator({ preset: 'paper' });
  const tasks = [];
  for await (const task of readTasksJsonl(tasksPath)) tasks.push(task);
  const summary = await synthesize({
    tasks,
    policy: { model, tools },
    repairer: createRepairer({ model, tools, evaluator }),
    evaluator,
    n: demoFixtures.n,
    outDir: join(scratch, 'out'),
    concurrency: 4,
  });
  model.writer.close();
  const lines = readFileSync(raw, 'utf8').split('\n').filter(Boolean);
  lines.sort((a, b) => (JSON.parse(a).key < JSON.parse(b).key ? -1 : 1));
  writeFileSync(cassettePath, `${lines.join('\n')}\n`);
  process.stdout.write(
    `${lines.length} responses -> ${cassettePath}\n${JSON.stringify(summary.counts)}\n`,
  );
} finally {
  await pool.close();
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
}
