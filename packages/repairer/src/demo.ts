import { fileURLToPath } from 'node:url';

/**
 * The shipped offline demo: 40 GSM8K training problems (MIT, see fixtures/GSM8K-LICENSE) and
 * a cassette of AUTHORED responses for them (made by scripts/make-demo-cassette.mjs from a
 * scripted policy, not by a real model). Replays match only with these settings.
 */
export const demoFixtures = {
  tasksPath: fileURLToPath(new URL('../fixtures/gsm8k-demo.jsonl', import.meta.url)),
  cassettePath: fileURLToPath(new URL('../fixtures/demo-cassette.jsonl', import.meta.url)),
  modelId: 'scripted-gsm8k-policy',
  /** Candidates per task recorded (seeds `sampleSeed({ runSeed: 0, taskId, index })`, index < n). */
  n: 4,
  /** Tool names, in order, that the cassette's prompts list. */
  tools: ['python', 'calculator'] as const,
} as const;
