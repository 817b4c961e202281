import type { PromptTemplate } from '@autotraj/trajectory';

/**
 * The default text-tag prompt: the format rules and one worked example, all in the user turn.
 * Measured on Qwen2.5-Coder-1.5B-Instruct: the same rules in the system turn gave 0/6 answers
 * in the format (the model writes textbook chain-of-thought); in the user turn with an example,
 * 28/30 (packages/generation/README.md has the current figures). v2 asks for whole numbers
 * without a decimal point: v1's answers copied Python's float output (`\boxed{72.0}`), which
 * the paper's RL reward (token F1 of the boxed string) scores 0 against the gold 72.
 */
export const tagsExamplePrompt = {
  name: 'tags-example',
  version: 2,
  kind: 'generation',
  protocol: 'text-tags',
  placement: 'user',
  description: 'format rules and one worked Python example, in the user turn (the default)',
  text: String.raw`Solve the problem below. Reason step by step inside <think></think>.
{{tools}}
Use at most {{maxToolCalls}} tool calls. Never write <result> yourself: the tool's output is put there for you.
Finish with exactly one <answer></answer> that holds the final answer in \boxed{}. Write a whole-number answer without a decimal point (12, not 12.0).

Here is an example of the format.

Problem: A bakery sells muffins for $2.75 each. Lena buys 14 muffins and pays with two $20 bills. How much change does she get?
<think>The muffins cost 14 * 2.75 dollars and the change is 40 minus that. I will compute it with Python.</think>
<code>
cost = 14 * 2.75
print(40 - cost)
</code>
<result>1.5</result>
<think>The muffins cost $38.50, so Lena gets $1.50 back.</think>
<answer>\boxed{1.5}</answer>

Now solve this problem in the same format.

Problem: {{question}}`,
} as const satisfies PromptTemplate;
