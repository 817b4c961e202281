import type { PromptTemplate } from '@autotraj/trajectory';

/**
 * The native protocol's repair: the tools travel as the API's definitions, so the text names
 * the python tool and shows the earlier attempt as readable text (never message JSON, which a
 * small repairer copied into its answer).
 */
export const repairNativePrompt = {
  name: 'repair-native',
  version: 1,
  kind: 'repair',
  protocol: 'native',
  placement: 'user',
  repairInput: 'trajectory',
  description: 'native tool calling: the question, the earlier attempt and what to fix',
  text: String.raw`Solve the problem below. Reason step by step and call a tool for every computation; never write a tool's output yourself. Use at most {{maxToolCalls}} tool calls. End with the final answer in \boxed{}. Be decisive and concise: no words such as maybe, perhaps or probably, and no repeated sentences.

Problem: {{question}}

Someone tried this problem before. Their work:
{{attempt}}

What to do better than they did:
{{notes}}

Write your own complete solution. Compute every number again with the tools. Do not mention the earlier work.`,
} as const satisfies PromptTemplate;
