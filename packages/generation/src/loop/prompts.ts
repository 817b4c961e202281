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

/** The generation prompt of the native tool-calling protocol. */
export function nativeInstructions(options: { maxToolCalls: number }): string {
  return [
    'You are a careful problem solver that reasons step by step and calls the available tools to compute exactly.',
    `Use at most ${options.maxToolCalls} tool calls.`,
    'End with your final answer in \\boxed{}.',
  ].join('\n');
}
