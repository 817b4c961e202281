import type { PromptTemplate } from '@autotraj/trajectory';
import { markdownRules } from '../loop/prompts.js';

/** The markdown protocol's prompt: ```python blocks, the environment's ```output, \boxed{}. */
export const markdownSystemPrompt = {
  name: 'markdown-system',
  version: 1,
  kind: 'generation',
  protocol: 'markdown',
  placement: 'system',
  description:
    'markdown TIR (Qwen2.5-Math / ToRA / ToRL): ```python blocks answered with ```output',
  text: markdownRules,
} as const satisfies PromptTemplate;
