import type { PromptTemplate } from '@autotraj/trajectory';
import { markdownRules } from '../loop/prompts.js';

/**
 * The markdown rules alone in the system turn (`markdownInstructions`). Not the default: with
 * them there, Qwen2.5-Coder-1.5B-Instruct answered GSM8K in prose (see `markdown-example`).
 */
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
