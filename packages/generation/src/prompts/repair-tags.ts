import type { PromptTemplate } from '@autotraj/trajectory';
import { tagsExamplePrompt } from './tags-example.js';

// A repair reads like a generation prompt: a small model given "a flawed trajectory" and
// "evaluator diagnostics" writes about repairing trajectories (measured: every Qwen2.5-Coder-1.5B
// repair began "To fix the flawed trajectory..."). So the repairer gets the same rules and
// example as the policy, and what to fix as plain instructions.
const body = tagsExamplePrompt.text.replace(
  'Now solve this problem in the same format.',
  'Now solve this problem in the same format. Be decisive and concise: no words such as maybe, perhaps or probably, and no repeated sentences.',
);

/** The paper's repair input: the question alone, so the repairer regenerates from scratch. */
export const repairQuestionPrompt = {
  name: 'repair-question',
  version: 1,
  kind: 'repair',
  protocol: 'text-tags',
  placement: 'user',
  repairInput: 'question',
  description: "the paper's repair input: only the question (regenerate)",
  text: body,
} as const satisfies PromptTemplate;

/** Ours: the question, the earlier attempt as text, and what to fix, as instructions. */
export const repairTrajectoryPrompt = {
  name: 'repair-trajectory',
  version: 1,
  kind: 'repair',
  protocol: 'text-tags',
  placement: 'user',
  repairInput: 'trajectory',
  description: 'the question, the earlier attempt and what to fix (as instructions)',
  text: `${body}

Someone tried this problem before. Their work:
{{attempt}}

What to do better than they did:
{{notes}}

Write your own complete solution in the format of the example, starting with <think>. Compute every number again with the tools. Do not mention the earlier work.`,
} as const satisfies PromptTemplate;
