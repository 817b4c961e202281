import { generationPrompt } from '@autotraj/generation';
import type { PromptTemplate, Task } from '@autotraj/trajectory';
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
export function rlPromptMessages(
  task: Task,
  options: RlPromptOptions,
): Array<{ role: 'system' | 'user'; content: string }> {
  if (options.prompt !== undefined && options.instructions !== undefined)
    throw new RlConfigError({
      option: 'instructions',
      message: 'give instructions or a prompt template, not both',
    });
  if (options.prompt === undefined)
    return [
      ...(options.instructions === undefined
        ? []
        : [{ role: 'system' as const, content: options.instructions }]),
      { role: 'user' as const, content: task.question },
    ];
  const { rendered } = generationPrompt({
    question: task.question,
    toolNames: options.prompt.toolNames,
    promptTemplate: options.prompt.template,
    ...(options.prompt.maxToolCalls === undefined
      ? {}
      : { maxToolCalls: options.prompt.maxToolCalls }),
  });
  return [
    ...(rendered.system === undefined
      ? []
      : [{ role: 'system' as const, content: rendered.system }]),
    { role: 'user' as const, content: rendered.user },
  ];
}
