// The main job, offline. At this stage: read the real GSM8K model solutions and ToRA
// tool-integrated solutions, convert them to validated trajectories, export SFT data sets
// with loss masks, and inspect them. Later stages (evaluate, repair, reward model, RL) join
// this script as their packages land. Usage: pnpm demo [--out dir]
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
// The built CLI (the demo script runs after `turbo run build`).
import { runCli } from '../packages/cli/dist/index.js';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = resolve(outIndex >= 0 ? args[outIndex + 1] : 'autotraj-demo');
const shared = resolve(import.meta.dirname, '../../shared/data');
mkdirSync(out, { recursive: true });

const steps = [
  [
    'GSM8K model solutions -> trajectories',
    [
      'convert',
      '--from',
      'gsm8k-solutions',
      '--to',
      'trajectory',
      `${shared}/gsm8k/model-solutions.dev.jsonl`,
      `${out}/gsm8k-solutions.trajectories.jsonl`,
    ],
  ],
  [
    'ToRA markdown TIR -> trajectories',
    [
      'convert',
      '--from',
      'tora',
      '--to',
      'trajectory',
      `${shared}/tora/gsm8k.dev.jsonl`,
      `${out}/tora.trajectories.jsonl`,
    ],
  ],
  [
    'ToRA -> paper tag format with loss-mask spans',
    [
      'convert',
      '--from',
      'trajectory',
      '--to',
      'tags',
      `${out}/tora.trajectories.jsonl`,
      `${out}/tora.tags.jsonl`,
    ],
  ],
  [
    'ToRA -> OpenAI fine-tuning chat',
    [
      'convert',
      '--from',
      'trajectory',
      '--to',
      'openai-sft',
      `${out}/tora.trajectories.jsonl`,
      `${out}/tora.openai-sft.jsonl`,
    ],
  ],
  [
    'ToRA -> ShareGPT (LLaMA-Factory)',
    [
      'convert',
      '--from',
      'trajectory',
      '--to',
      'sharegpt',
      `${out}/tora.trajectories.jsonl`,
      `${out}/tora.sharegpt.jsonl`,
    ],
  ],
  ['inspect GSM8K model solutions', ['inspect', `${out}/gsm8k-solutions.trajectories.jsonl`]],
  ['inspect ToRA solutions', ['inspect', `${out}/tora.trajectories.jsonl`]],
];

for (const [title, argv] of steps) {
  console.log(`\n== ${title}`);
  const code = await runCli(argv);
  if (code !== 0) {
    console.error(`demo: step failed (exit ${code}): autotraj ${argv.join(' ')}`);
    process.exit(code);
  }
}
console.log(`\nArtefacts in ${out}:`);
for (const name of [
  'gsm8k-solutions.trajectories.jsonl',
  'tora.trajectories.jsonl',
  'tora.tags.jsonl',
  'tora.openai-sft.jsonl',
  'tora.sharegpt.jsonl',
]) {
  console.log(`  ${out}/${name}`);
}
