// Benchmarks for @autotraj/llama-cpp on the real models (`./dev models`), run against the built
// dist: `pnpm --filter @autotraj/llama-cpp bench`. Writes ../../bench/results/llama-cpp.json
// ([{ name, value, unit, goal, met }]). Every comparison is measured side by side in this run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { generateText } from 'ai';
import { createLlamaCppModel, fetchedModelPath, ModelNotFetchedError } from '../dist/index.js';

// BENCH_SMOKE=1 (`./dev bench:smoke`, CI): SmolLM2 only, a few tokens, goals not judged; proves
// the bench runs. AUTOTRAJ_REQUIRE_MODELS=1 (CI): a model that is not fetched fails the run.
const smoke = process.env.BENCH_SMOKE === '1';
const requireModels = process.env.AUTOTRAJ_REQUIRE_MODELS === '1';
// The Gemma file has no chat template; the SDK would print that warning on every call.
globalThis.AI_SDK_LOG_WARNINGS = false;
const results = [];
const record = (name, value, unit, goal = null, met = null) => {
  results.push({ name, value: Number(value.toFixed(3)), unit, goal, met: smoke ? null : met });
  console.log(
    `${name}: ${value.toFixed(2)} ${unit}${goal && !smoke ? ` (goal ${goal}: ${met ? 'met' : 'MISSED'})` : ''}`,
  );
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ~400 prompt tokens of plain prose; a different first line per call so no prefix is re-used.
const filler = Array.from(
  { length: smoke ? 2 : 24 },
  (_, i) =>
    `Step ${i + 1}: the farmer counts the apples in basket ${i + 1} and writes the number down.`,
).join('\n');
const longPrompt = (i) => `Run ${i}.\n${filler}\nNow summarise the steps in detail.`;

async function speeds(modelPath, threads) {
  const model = createLlamaCppModel({ modelPath, threads, contextSize: 2048 });
  const info = await model.ready();
  const prompt = [];
  const gen = [];
  for (let i = 0; i < (smoke ? 1 : 3); i++) {
    // A repeat penalty keeps greedy output from ending early; 200 tokens are generated.
    const r = await generateText({
      model,
      prompt: longPrompt(`${threads}-${i}`),
      temperature: 0,
      maxOutputTokens: smoke ? 16 : 200,
      providerOptions: { llamaCpp: { repeatPenalty: { penalty: 1.1 } } },
    });
    const m = r.providerMetadata.llamaCpp;
    prompt.push(m.evaluatedPromptTokens / (m.promptMs / 1000));
    gen.push((m.outputTokens - 1) / (m.generationMs / 1000));
  }
  await model.close();
  return { info, prompt: median(prompt), gen: median(gen) };
}

async function throughput(modelPath, workers, threads, calls) {
  const model = createLlamaCppModel({ modelPath, workers, threads, contextSize: 1024 });
  await model.ready();
  await generateText({ model, prompt: 'Warm up.', maxOutputTokens: 4 });
  const t = performance.now();
  const done = await Promise.all(
    Array.from({ length: calls }, (_, i) =>
      generateText({
        model,
        prompt: `Question ${i}: describe the number ${i * 7} in a few sentences.`,
        temperature: 0,
        maxOutputTokens: smoke ? 8 : 64,
        providerOptions: { llamaCpp: { repeatPenalty: { penalty: 1.1 } } },
      }),
    ),
  );
  const seconds = (performance.now() - t) / 1000;
  await model.close();
  const tokens = done.reduce((n, r) => n + r.usage.outputTokens, 0);
  return tokens / seconds;
}

const models = [];
for (const name of smoke ? ['smollm2'] : ['smollm2', 'gemma3']) {
  try {
    models.push([name, fetchedModelPath(name)]);
  } catch (error) {
    if (!ModelNotFetchedError.isInstance(error) || requireModels) throw error;
    console.log(`skipping ${name}: ${error.message}`);
  }
}
console.log(
  `${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const [name, path] of models) {
  const one = await speeds(path, 1);
  // A smoke run skips the 2-thread model: on a loaded machine its two spinning threads wait on
  // each other for minutes, and one thread runs the same code.
  const two = smoke ? undefined : await speeds(path, 2);
  const w = one.info.workers[0];
  record(`${name} load: runtime (1 worker)`, w.runtimeMs, 'ms');
  record(`${name} load: model`, w.modelMs, 'ms');
  record(`${name} load: context (2048 tokens)`, w.contextMs, 'ms');
  record(`${name} worker memory after load (RSS)`, w.rss / 2 ** 20, 'MB');
  record(`${name} prompt processing, 1 thread`, one.prompt, 'tokens/s');
  if (two) record(`${name} prompt processing, 2 threads`, two.prompt, 'tokens/s');
  record(`${name} generation, 1 thread`, one.gen, 'tokens/s');
  if (two) record(`${name} generation, 2 threads`, two.gen, 'tokens/s');
  const calls = smoke ? 2 : 8;
  const single = await throughput(path, 1, 1, calls);
  const pair = await throughput(path, 2, 1, calls);
  const wide = smoke ? undefined : await throughput(path, 1, 2, calls);
  record(`${name} throughput, 1 worker x 1 thread (${calls} calls)`, single, 'tokens/s');
  if (wide) record(`${name} throughput, 1 worker x 2 threads (${calls} calls)`, wide, 'tokens/s');
  record(`${name} throughput, 2 workers x 1 thread (${calls} calls)`, pair, 'tokens/s');
  const ratio = pair / single;
  if (name === 'smollm2')
    record(`${name} 2 workers / 1 worker`, ratio, 'x', '>= 1.3x', ratio >= 1.3);
  else record(`${name} 2 workers / 1 worker`, ratio, 'x');
}

// A smoke run writes its (possibly empty) results so the summary sees that the bench ran.
if (results.length > 0 || smoke) {
  const dir = new URL(`../../../bench/${smoke ? 'results-smoke' : 'results'}/`, import.meta.url);
  mkdirSync(dir, { recursive: true });
  console.log(
    `load average at the end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  writeFileSync(new URL('llama-cpp.json', dir), `${JSON.stringify(results, null, 2)}\n`);
}
