// The embedded engine against llama.cpp's own server (`./dev llama-server` builds it), side by
// side in one run, on the default model and the GSM8K TIR workload: the default text-tags prompt
// (worked example in the user turn) on the first GSM8K test questions, greedy, every request
// sent at once. Writes ../../bench/results/llama-server.json.
//
//   ./dev build && node packages/llama-cpp/bench/llama-server.bench.mjs [--questions 8] [--tokens 160]
//     [--only phases|throughput]
//
// phases: one call's prompt and generation speed at 1 and 2 threads, each engine timing itself.
//
// The embedded engine runs as it does by default (one sequence per worker: reproducible) and with
// several sequences per worker, batched like the server's slots (faster, not reproducible).
// Each configuration reports end-to-end generated tokens/s (wall clock, prompts included) and
// how many greedy outputs differ from the same engine's one-at-a-time run: llama.cpp evaluates
// the sequences of one batch together, and a batch of several sequences gives other floats than
// one sequence alone (so what makes parallel slots fast also changes greedy outputs).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultPrompt, renderTaskPrompt } from '@autotraj/generation';
import { startLlamaServer } from '@autotraj/generation/testing';
import { generateText } from 'ai';
import { createLlamaCppModel, fetchedModelPath, ModelNotFetchedError } from '../dist/index.js';

const smoke = process.env.BENCH_SMOKE === '1';
const requireModels = process.env.AUTOTRAJ_REQUIRE_MODELS === '1';
const requireServer = process.env.AUTOTRAJ_REQUIRE_LLAMA_SERVER === '1';
const { values: args } = parseArgs({
  options: {
    questions: { type: 'string', default: smoke ? '2' : '8' },
    tokens: { type: 'string', default: smoke ? '8' : '160' },
    // phases: prompt and generation speed of one call at 1 and 2 threads; throughput: the
    // concurrent workload; both by default.
    only: { type: 'string' },
  },
});
if (args.only !== undefined && args.only !== 'phases' && args.only !== 'throughput')
  throw new Error(`--only: expected phases or throughput, got ${args.only}`);
const runPhases = args.only !== 'throughput';
const runThroughput = args.only !== 'phases';
const QUESTIONS = Number(args.questions);
const TOKENS = Number(args.tokens);
const repoRoot = new URL('../../../', import.meta.url).pathname;
const binary =
  process.env.AUTOTRAJ_LLAMA_SERVER ??
  join(repoRoot, '.cache', 'llama-server', 'current', 'bin', 'llama-server');

const results = [];
const record = (name, value, unit, goal = null, met = null) => {
  results.push({ name, value: Number(value.toFixed(3)), unit, goal, met: smoke ? null : met });
  console.log(
    `${name}: ${value.toFixed(2)} ${unit}${goal && !smoke ? ` (goal ${goal}: ${met ? 'met' : 'MISSED'})` : ''}`,
  );
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function write() {
  const dir = new URL(`../../../bench/${smoke ? 'results-smoke' : 'results'}/`, import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('llama-server.json', dir), `${JSON.stringify(results, null, 2)}\n`);
}

let modelPath;
try {
  modelPath = fetchedModelPath(smoke ? 'smollm2' : 'qwen2.5-coder-1.5b');
} catch (error) {
  if (!ModelNotFetchedError.isInstance(error) || requireModels) throw error;
  console.log(`skipping: ${error.message}`);
}
if (modelPath !== undefined && !existsSync(binary)) {
  if (requireServer) throw new Error(`${binary} does not exist (build it: ./dev llama-server)`);
  console.log(`skipping: ${binary} does not exist (build it: ./dev llama-server)`);
  modelPath = undefined;
}
if (modelPath === undefined) {
  if (smoke) write();
  process.exit(0);
}

// The pipeline's prompt for each question: the default generation template, Python + calculator.
const template = defaultPrompt('generation', 'text-tags');
const questions = readFileSync(join(repoRoot, 'packages/benchmarks/data/gsm8k-test.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .slice(0, QUESTIONS)
  .map((l) => JSON.parse(l).question);
const conversations = questions.map((question) => {
  const p = renderTaskPrompt(template, {
    question,
    toolNames: ['python', 'calculator'],
    maxToolCalls: 3,
  });
  return [
    ...(p.system === undefined ? [] : [{ role: 'system', content: p.system }]),
    { role: 'user', content: p.user },
  ];
});

/** Our engine: `workers` processes of `threads` threads and `sequences` sequences, every request at once. */
async function embedded(workers, threads, sequences = 1) {
  const model = createLlamaCppModel({ modelPath, workers, threads, sequences, contextSize: 4096 });
  await model.ready();
  const t = performance.now();
  const done = await Promise.all(
    conversations.map((messages) =>
      generateText({ model, messages, temperature: 0, maxOutputTokens: TOKENS }),
    ),
  );
  const seconds = (performance.now() - t) / 1000;
  await model.close();
  return {
    seconds,
    outputTokens: done.reduce((n, r) => n + r.usage.outputTokens, 0),
    promptTokens: done.reduce((n, r) => n + r.usage.inputTokens, 0),
    texts: done.map((r) => r.text),
  };
}

/** One greedy chat completion of up to TOKENS tokens from a running llama-server. */
function serverChat(running, messages) {
  return fetch(`${running.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages, temperature: 0, max_tokens: TOKENS }),
  }).then((r) => r.json());
}

/** llama-server with `slots` parallel slots of `threads` threads; the file's own template. */
async function server(slots, threads) {
  const running = await startLlamaServer({
    binary,
    model: modelPath,
    contextSize: 4096 * slots,
    slots,
    threads,
    args: ['--jinja'],
  });
  try {
    const t = performance.now();
    const done = await Promise.all(conversations.map((messages) => serverChat(running, messages)));
    const seconds = (performance.now() - t) / 1000;
    return {
      seconds,
      outputTokens: done.reduce((n, r) => n + r.usage.completion_tokens, 0),
      promptTokens: done.reduce((n, r) => n + r.usage.prompt_tokens, 0),
      texts: done.map((r) => r.choices[0].message.content),
    };
  } finally {
    await running.close();
  }
}

console.log(
  `${cpus().length} cores, load average ${load()}; ${QUESTIONS} GSM8K test questions, greedy, up to ${TOKENS} tokens, all sent at once`,
);
// Prompt and generation speed of one call, each engine timing itself: the first question, no
// cached prefix (a fresh worker or server), greedy, up to TOKENS tokens. The embedded engine
// reports promptMs (to the first output token) and generationMs (the rest) in its provider
// metadata; llama-server its `timings`.
async function embeddedPhases(threads) {
  const model = createLlamaCppModel({ modelPath, workers: 1, threads, contextSize: 4096 });
  await model.ready();
  try {
    const r = await generateText({
      model,
      messages: conversations[0],
      temperature: 0,
      maxOutputTokens: TOKENS,
    });
    const m = r.providerMetadata.llamaCpp;
    return {
      prompt: m.evaluatedPromptTokens / (m.promptMs / 1000),
      // The first output token comes with the prompt's evaluation; the rest are generation.
      generation: (m.outputTokens - 1) / (m.generationMs / 1000),
    };
  } finally {
    await model.close();
  }
}
async function serverPhases(threads) {
  const running = await startLlamaServer({
    binary,
    model: modelPath,
    contextSize: 4096,
    slots: 1,
    threads,
    args: ['--jinja'],
  });
  try {
    const r = await serverChat(running, conversations[0]);
    return { prompt: r.timings.prompt_per_second, generation: r.timings.predicted_per_second };
  } finally {
    await running.close();
  }
}
// Smoke: 1 thread only (SmolLM2 on 2 threads collapses on a busy machine).
if (runPhases)
  for (const threads of smoke ? [1] : [1, 2]) {
    const ours = await embeddedPhases(threads);
    const theirs = await serverPhases(threads);
    for (const [phase, unit] of [
      ['prompt', 'prompt tokens/s'],
      ['generation', 'tokens/s'],
    ]) {
      record(`one call, ${threads} thread(s), ${phase}: embedded`, ours[phase], unit);
      record(`one call, ${threads} thread(s), ${phase}: llama-server`, theirs[phase], unit);
      record(
        `one call, ${threads} thread(s), ${phase}: embedded / llama-server`,
        ours[phase] / theirs[phase],
        'x',
      );
    }
    console.log(`  (load ${load()})`);
  }

const configs = [
  ['embedded, 1 worker x 2 threads', () => embedded(1, 2)],
  ['embedded, 2 workers x 1 thread (the default)', () => embedded(2, 1)],
  ['embedded, 1 worker x 2 threads x 2 sequences', () => embedded(1, 2, 2)],
  ['embedded, 1 worker x 2 threads x 4 sequences', () => embedded(1, 2, 4)],
  ['embedded, 2 workers x 1 thread x 2 sequences', () => embedded(2, 1, 2)],
  // 4 per worker: llama.cpp's repacked Q4_K kernel takes 4 tokens at a time.
  ['embedded, 2 workers x 1 thread x 4 sequences', () => embedded(2, 1, 4)],
  ['llama-server, 1 slot x 2 threads', () => server(1, 2)],
  ['llama-server, 2 slots x 2 threads', () => server(2, 2)],
  ['llama-server, 4 slots x 2 threads', () => server(4, 2)],
];
const runs = new Map();
// Smoke: one batched row on 1-thread workers (SmolLM2 on 2 threads collapses on a busy machine).
const smokeConfigs = new Set([
  'embedded, 2 workers x 1 thread (the default)',
  'embedded, 2 workers x 1 thread x 2 sequences',
  'llama-server, 1 slot x 2 threads',
]);
const throughputConfigs = smoke ? configs.filter(([n]) => smokeConfigs.has(n)) : configs;
for (const [name, run] of runThroughput ? throughputConfigs : []) {
  const r = await run();
  runs.set(name, r);
  record(`${name}: end-to-end generation`, r.outputTokens / r.seconds, 'tokens/s');
  console.log(
    `  ${r.promptTokens} prompt + ${r.outputTokens} output tokens in ${r.seconds.toFixed(1)} s (load ${load()})`,
  );
}

// Greedy outputs that differ from the same engine's one-stream run.
const reference = (name) =>
  runs.get(
    name.startsWith('embedded')
      ? 'embedded, 1 worker x 2 threads'
      : 'llama-server, 1 slot x 2 threads',
  );
for (const [name, r] of runs) {
  const ref = reference(name);
  if (ref === undefined || ref === r) continue;
  const differ = r.texts.filter((text, i) => text !== ref.texts[i]).length;
  record(`${name}: greedy outputs differing from one stream`, differ, `of ${r.texts.length}`);
}

const rate = (name) => {
  const r = runs.get(name);
  return r === undefined ? undefined : r.outputTokens / r.seconds;
};
const ours = rate('embedded, 2 workers x 1 thread (the default)');
const serverRates = [...runs.keys()]
  .filter((n) => n.startsWith('llama-server'))
  .map((n) => [n, rate(n)]);
if (ours !== undefined && serverRates.length > 0) {
  const [bestName, best] = serverRates.reduce((a, b) => (b[1] > a[1] ? b : a));
  const ratio = ours / best;
  record(`embedded default / best llama-server (${bestName})`, ratio, 'x', '>= 0.9x', ratio >= 0.9);
  // What batched decoding (sequences) gives the embedded engine, against the same in the server.
  const batched = [...runs.keys()].filter((n) => n.includes('sequences')).map((n) => [n, rate(n)]);
  if (batched.length > 0) {
    const [fastName, fast] = batched.reduce((a, b) => (b[1] > a[1] ? b : a));
    record(
      `best embedded with sequences (${fastName}) / best llama-server (${bestName})`,
      fast / best,
      'x',
      '>= 0.9x',
      fast / best >= 0.9,
    );
  }
  const oneSlot = rate('llama-server, 1 slot x 2 threads');
  if (oneSlot !== undefined)
    record(
      'embedded default / llama-server 1 slot (one sequence per batch, as ours)',
      ours / oneSlot,
      'x',
    );
}
console.log(`load average at the end ${load()}`);
write();
