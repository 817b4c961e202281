import type { PromptTemplate } from '@autotraj/trajectory';

/**
 * The model's own chain-of-thought, no tool (`autotraj eval --tools none --protocol markdown`):
 * the question and Qwen's standard math instruction, prose and a final \boxed{}. The tag-format
 * baseline (`cot-example`) measured 0/10 on Qwen2.5-Coder-1.5B: without a tool call to anchor the
 * format it writes textbook prose and never closes the tags, so no answer is read.
 */
export const cotBoxedPrompt = {
  name: 'cot-boxed',
  version: 1,
  kind: 'generation',
  protocol: 'markdown',
  placement: 'user',
  description: "no-tool chain-of-thought in the model's own format: prose and a final \\boxed{}",
  text: String.raw`{{question}}
Please reason step by step, and put your final answer within \boxed{}.`,
} as const satisfies PromptTemplate;
