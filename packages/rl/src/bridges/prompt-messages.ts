import { generationPrompt } from '@autotraj/generation';
import {
  type ChatPromptMessage,
  type PromptTemplate,
  promptMessages,
  type Task,
} from '@autotraj/trajectory';
import { RlConfigError } from '../errors.js';

export interface RlPromptOptions {
  /** A system prompt of your own, with the bare question as the user turn. */
  instructions?: string;
  /**
   * The template the policy is prompted with and the tools it is offered: the rows then hold the
   * turns `generateTrajectory` renders (so RL prompts match the SFT records' `prompt` turns).
   */
  prompt?: { template: PromptTemplate; toolNames: ReadonlyArray<string>; maxToolCalls?: number };
}

/** The chat messages of an RL prompt row for a task. */
export function rlPromptMessages(task: Task, options: RlPromptOptions): ChatPromptMessage[] {
  if (options.prompt !== undefined && options.instructions !== undefined)
    throw new RlConfigError({
      option: 'instructions',
      message: 'give instructions or a prompt template, not both',
    });
  if (options.prompt === undefined)
    return promptMessages({ system: options.instructions, user: task.question });
  const { rendered } = generationPrompt({
    question: task.question,
    toolNames: options.prompt.toolNames,
    promptTemplate: options.prompt.template,
    ...(options.prompt.maxToolCalls === undefined
      ? {}
      : { maxToolCalls: options.prompt.maxToolCalls }),
  });
  return promptMessages(rendered);
}
