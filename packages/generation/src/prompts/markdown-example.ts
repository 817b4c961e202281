import type { PromptTemplate } from '@autotraj/trajectory';

/**
 * The markdown protocol's rules and one worked example in the user turn, no system turn: the
 * placement that put Qwen2.5-Coder-1.5B-Instruct in the tag format (see `tags-example`); with
 * the rules in the system turn it answered GSM8K in prose without running code.
 */
export const markdownExamplePrompt = {
  name: 'markdown-example',
  version: 1,
  kind: 'generation',
  protocol: 'markdown',
  placement: 'user',
  description:
    'markdown TIR: the rules and one worked ```python / ```output example in the user turn',
  text: String.raw`Solve the problem by computing with Python. Write a short ${'```'}python block that prints what you need. The environment runs it and answers with an ${'```'}output block holding what it printed; never write that block yourself. Use at most {{maxToolCalls}} code blocks. Then give the final answer in \boxed{}.

Example.
Problem: Pens cost 3 dollars each. Maya buys 4 pens and pays with a 20-dollar bill. How much change does she get?
Solution: The pens cost 4 times 3 dollars, and the change is 20 dollars minus that.
${'```'}python
cost = 4 * 3
print(20 - cost)
${'```'}
${'```'}output
8
${'```'}
Maya gets \boxed{8} dollars in change.

Problem: {{question}}
Solution:`,
} as const satisfies PromptTemplate;
