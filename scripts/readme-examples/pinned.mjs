// What the README harness does with blocks it cannot simply run as written: one entry per
// block, found by `file` and a piece of its text (`contains`). An entry that matches no block
// fails the harness, so this list cannot go stale silently.
//   fixtures:   input files (fixtures.mjs) written into the block's working directory first
//   server:     the block starts a server: it must print its URL, answer GET /health and exit 0
//               on SIGTERM (it runs with PORT=0)
//   run: false  type-checked only; `reason` says why it cannot run offline
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Packages left out of the scratch install; their blocks are neither type-checked nor run. */
export const excludedPackages = {
  '@autotraj/llama-cpp':
    "npm installs node-llama-cpp's CUDA and Vulkan binaries for linux-x64 as optional dependencies (~650 MB from the registry per CI run); the package's own tests run the real models",
};

export const pinned = [
  { file: 'packages/trajectory/README.md', contains: 'createRejectsFile', fixtures: ['in.jsonl'] },
  {
    file: 'packages/reward-model/README.md',
    contains: 'gsm8kCorrectnessPairs',
    fixtures: ['model-solutions.jsonl'],
  },
  {
    file: 'packages/reward-model/README.md',
    contains: 'createHfSequenceClassifierScorer',
    run: false,
    reason:
      'needs a Hugging Face sequence-classifier export (model.onnx, tokenizer.json); none ships, and fetching one needs the Hub',
  },
  {
    file: 'packages/rl/README.md',
    contains: 'const report = await trainSft({',
    run: false,
    reason:
      'fine-tunes a 1.5B model with PyTorch and TRL for an hour; packages/cli/src/commands/train-sft.test.ts trains SmolLM2 and runs the adapter',
  },
  {
    file: 'packages/reward-model/README.md',
    contains: 'trainTransformerRewardModel({',
    run: false,
    reason:
      'trains MiniLM with PyTorch and TRL for minutes; the rl-trainers test trains and scores it',
  },
  { file: 'packages/rl/README.md', contains: 'createPaperReward', fixtures: ['rm/model.onnx'] },
  {
    file: 'packages/rl/README.md',
    contains: 'createRewardServer',
    fixtures: ['rm/model.onnx'],
    server: true,
  },
  { file: 'packages/rl/README.md', contains: 'writeVerlParquet', fixtures: ['tasks.jsonl'] },
  {
    file: 'packages/rl/README.md',
    contains: 'toTrlRolloutRow',
    fixtures: ['tasks.jsonl', 'out/rollouts.jsonl'],
  },
  {
    file: 'packages/rl/README.md',
    contains: 'createRolloutTools',
    fixtures: ['rm/model.onnx', 'tasks.jsonl'],
  },
  { file: 'packages/cli/README.md', contains: 'runCli', fixtures: ['trajectories.jsonl'] },
];

// Every shell command of the root README, by prefix: run (from the repository root) or not,
// and why not. `check` inspects what a command that ran left behind.
export const rootReadme = [
  // Longest prefix first: the first matching entry wins.
  {
    command: './dev demo --replay',
    check: (root) =>
      existsSync(join(root, 'autotraj-demo', 'replay', 'report.html'))
        ? null
        : 'autotraj-demo/replay/report.html was not written',
  },
  {
    command: './dev demo',
    run: false,
    reason:
      'minutes of CPU generation with the embedded model; packages/cli/src/pipeline/embedded-model.test.ts runs the same pipeline on the real model in ./dev test',
  },
  { command: './dev test', run: false, reason: 'CI runs it as its last step (.ci/run)' },
  {
    command: 'autotraj synthesize --out run --model vllm:',
    run: false,
    reason: 'needs a live vLLM server',
  },
  {
    command: 'autotraj synthesize --out run --model compatible:',
    run: false,
    reason: 'needs a live OpenAI-compatible server',
  },
  {
    command: 'autotraj synthesize --out run --model local:smollm2',
    run: false,
    reason:
      'minutes of CPU generation with the embedded model; the llama-cpp and CLI tests run local: models',
  },
  {
    command: 'autotraj eval ',
    run: false,
    reason:
      'needs a live model server (and a search server for QA); the CLI tests run eval on the loopback server and on the embedded model',
  },
  {
    command: 'autotraj compare ',
    run: false,
    reason: 'compares the eval directories the commands above write',
  },
  {
    command: 'autotraj report eval-',
    run: false,
    reason: 'reports on the eval directories the commands above write',
  },
  {
    command: 'autotraj synthesize --out run --model openai:',
    run: false,
    reason: 'needs the OpenAI API (internet, a key)',
  },
];
