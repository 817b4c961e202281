import type { PromptTemplate } from '@autotraj/trajectory';

/**
 * The no-tool chain-of-thought baseline (`autotraj eval --tools none`): the same output format
 * and the same worked problem as `tags-example`, solved without a tool, so a TIR run and this
 * baseline differ in the tool alone.
 */
export const cotExamplePrompt = {
  name: 'cot-example',
  version: 1,
  kind: 'generation',
  protocol: 'text-tags',
  placement: 'user',
  description: 'no-tool chain-of-thought baseline: the same format and example, computed by hand',
  text: String.raw`Solve the problem below. Reason step by step inside <think></think>, doing every computation carefully by hand.
Finish with exactly one <answer></answer> that holds the final answer in \boxed{}.

Here is an example of the format.

Problem: A bakery sells muffins for $2.75 each. Lena buys 14 muffins and pays with two $20 bills. How much change does she get?
<think>The muffins cost 14 * 2.75 = 38.50 dollars. Two $20 bills are $40, so the change is 40 - 38.50 = 1.50 dollars.</think>
<answer>\boxed{1.5}</answer>

Now solve this problem in the same format.

Problem: {{question}}`,
} as const satisfies PromptTemplate;
