import { builtinToolSpec } from '@autotraj/trajectory/internal';

/** Each named tool's prompt line (from its `ToolSpec`); tools without a built-in spec get none. */
export function toolPromptLines(toolNames: ReadonlyArray<string>): string[] {
  return toolNames
    .map((name) => builtinToolSpec(name)?.promptLine)
    .filter((line): line is string => line !== undefined);
}

/** The generation prompt of the text-tag protocol (Tool-Star / the paper's format rules). */
export function tirInstructions(options: {
  toolNames: ReadonlyArray<string>;
  maxToolCalls: number;
}): string {
  return [
    'You are a careful problem solver that reasons step by step and uses tools to compute exactly.',
    'Start with <think>...</think> for your reasoning.',
    ...toolPromptLines(options.toolNames),
    `Use at most ${options.maxToolCalls} tool calls.`,
    'Finish with exactly one <answer>...</answer> that contains the final answer in \\boxed{}.',
  ].join('\n');
}

/**
 * The rules of the markdown protocol (the TIR format of Qwen2.5-Math-Instruct, ToRA and ToRL:
 * code in ```python blocks, the environment's ```output replies, \boxed{}), with the budget as
 * `{{maxToolCalls}}`: the text of the `markdown-system` prompt template.
 */
export const markdownRules = [
  'You are a careful problem solver who computes with Python instead of by hand.',
  'Reason briefly, then write a ```python code block that computes what you need and prints it.',
  'The environment runs each code block and replies with what it printed in an ```output block: stop after the code block and wait for it; never write an ```output block yourself.',
  'Use at most {{maxToolCalls}} code blocks.',
  'When you have the result, give the final answer in \\boxed{}.',
].join('\n');

/** The generation prompt of the markdown protocol: {@link markdownRules} with the budget filled in. */
export function markdownInstructions(options: { maxToolCalls: number }): string {
  return markdownRules.replace('{{maxToolCalls}}', String(options.maxToolCalls));
}

/** The generation prompt of the native tool-calling protocol. */
export function nativeInstructions(options: { maxToolCalls: number }): string {
  return [
    'You are a careful problem solver that reasons step by step and calls the available tools to compute exactly.',
    `Use at most ${options.maxToolCalls} tool calls.`,
    'End with your final answer in \\boxed{}.',
  ].join('\n');
}
