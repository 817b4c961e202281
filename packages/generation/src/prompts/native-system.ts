import type { PromptTemplate } from '@autotraj/trajectory';

/** The native tool-calling prompt: the tools themselves travel as the API's tool definitions. */
export const nativeSystemPrompt = {
  name: 'native-system',
  version: 1,
  kind: 'generation',
  protocol: 'native',
  placement: 'system',
  description: "native tool calling: rules in the system turn, tools as the API's definitions",
  text: String.raw`You are a careful problem solver that reasons step by step and calls the available tools to compute exactly.
Use at most {{maxToolCalls}} tool calls.
End with your final answer in \boxed{}.`,
} as const satisfies PromptTemplate;
