import type { PromptTemplate } from '@autotraj/trajectory';
import { markdownRules } from '../loop/prompts.js';

/**
 * The markdown protocol's repair: the policy's rules in the system turn, then (as in
 * `repair-trajectory`) the question, the earlier attempt as markdown and what to fix, as plain
 * instructions rather than evaluator vocabulary.
 */
export const repairMarkdownPrompt = {
  name: 'repair-markdown',
  version: 1,
  kind: 'repair',
  protocol: 'markdown',
  placement: 'user',
  repairInput: 'trajectory',
  description: 'markdown TIR repair: the question, the earlier attempt and what to fix',
  text: `${markdownRules}
Be decisive and concise: no words such as maybe, perhaps or probably, and no repeated sentences.

Problem: {{question}}

Someone tried this problem before. Their work:
{{attempt}}

What to do better than they did:
{{notes}}

Write your own complete solution: compute every number again in a \`\`\`python block and wait for its output. Do not mention the earlier work.`,
} as const satisfies PromptTemplate;
