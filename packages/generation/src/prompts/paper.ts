import type { PromptTemplate } from '@autotraj/trajectory';

/**
 * The paper's prompt structure, in our own words: instructions, then worked examples with
 * Python, with search and with no tool, then the question, as one plain text (here the user
 * turn).
 */
export const paperPrompt = {
  name: 'paper',
  version: 1,
  kind: 'generation',
  protocol: 'text-tags',
  placement: 'user',
  description:
    "the paper's structure: instructions, examples for code, search and no tool, the question",
  text: String.raw`Answer the question by reasoning step by step; you may use tools.
Write your reasoning inside <think></think>.
{{tools}}
Use at most {{maxToolCalls}} tool calls; a tool's output appears inside <result></result>.
Give the final answer once, inside <answer></answer>, as \boxed{...}.

Example 1 (Python):
Question: What is the sum of the squares of the first 12 positive integers?
<think>I will add the squares with Python.</think>
<code>
print(sum(i * i for i in range(1, 13)))
</code>
<result>650</result>
<think>The sum is 650.</think>
<answer>\boxed{650}</answer>

Example 2 (search):
Question: In which city was the inventor of the telephone born?
<think>Alexander Graham Bell is credited with the telephone; I will look up where he was born.</think>
<search>Alexander Graham Bell birthplace</search>
<result>Alexander Graham Bell was born in Edinburgh, Scotland, on March 3, 1847.</result>
<think>He was born in Edinburgh.</think>
<answer>\boxed{Edinburgh}</answer>

Example 3 (no tool):
Question: How many sides does a hexagon have?
<think>A hexagon has six sides; no tool is needed.</think>
<answer>\boxed{6}</answer>

Question: {{question}}`,
} as const satisfies PromptTemplate;
