import { z } from 'zod';
import type { JsonValue } from '../schemas/json-value.js';

/**
 * What a tool is, once: the codecs' tag tables, text-to-input parsing, the generation and
 * repair prompts, and the `ai` SDK tools are all derived from these.
 */
export const toolSpecSchema = z.object({
  /** Tool name as it appears in trajectories and `ai` SDK tool sets (`python`). */
  name: z.string().regex(/^[A-Za-z_][\w-]*$/),
  /** Tag the model writes the call in, in the text-tag protocol (`code` for `<code>...</code>`). */
  tag: z.string().regex(/^[A-Za-z][\w-]*$/),
  /** Input field that holds the model-written text (`code`, `expression`, `query`). */
  inputField: z.string().min(1),
  /** For native tool calling. */
  description: z.string().min(1),
  /** The input's zod schema: an object with at least `inputField` as a string. */
  inputSchema: z.custom<z.ZodObject>((value) => value instanceof z.ZodObject, {
    message: 'inputSchema must be a zod object schema',
  }),
  /** The line a text-tag prompt uses to explain the tool to the model. */
  promptLine: z.string().min(1),
});
export type ToolSpec = z.infer<typeof toolSpecSchema>;

export const pythonToolSpec = {
  name: 'python',
  tag: 'code',
  inputField: 'code',
  description: 'Run Python code in a persistent session and return what it prints.',
  inputSchema: z.object({
    code: z.string().describe('Python code to run; print what you need to see.'),
  }),
  promptLine:
    'To run Python, write the code inside <code></code>; print what you need, and its output will appear inside <result></result>.',
} satisfies ToolSpec;

export const calculatorToolSpec = {
  name: 'calculator',
  tag: 'calculator',
  inputField: 'expression',
  description:
    'Evaluate an arithmetic expression exactly (numbers, + - * / ^ %, parentheses, sqrt, round, ...).',
  inputSchema: z.object({
    expression: z.string().describe('An arithmetic expression, e.g. 48/2*(3+1).'),
  }),
  promptLine:
    'To evaluate an arithmetic expression, write it inside <calculator></calculator>; the value will appear inside <result></result>.',
} satisfies ToolSpec;

export const searchToolSpec = {
  name: 'search',
  tag: 'search',
  inputField: 'query',
  description: 'Search a knowledge source and return relevant passages.',
  inputSchema: z.object({
    query: z.string().describe('What to search for.'),
    topK: z.number().int().min(1).max(50).optional().describe('How many passages to return.'),
  }),
  promptLine:
    'To search for facts, write a query inside <search></search>; the retrieved passages will appear inside <result></result>.',
} satisfies ToolSpec;

/** The built-in tools, in the order prompts list them. */
export const builtinToolSpecs: ReadonlyArray<ToolSpec> = [
  pythonToolSpec,
  searchToolSpec,
  calculatorToolSpec,
];

/** The built-in spec of a tool name, or undefined for a tool of your own. */
export function builtinToolSpec(name: string): ToolSpec | undefined {
  return builtinToolSpecs.find((spec) => spec.name === name);
}

/** Tag name -> tool name, the table the tag codec and the text-tag loop read. */
export function toolTagTable(
  specs: ReadonlyArray<ToolSpec> = builtinToolSpecs,
): Record<string, string> {
  return Object.fromEntries(specs.map((spec) => [spec.tag, spec.name]));
}

/** The text a model writes for a call (code, expression, query), for text formats. */
export function toolInputText(toolName: string, input: JsonValue): string {
  if (typeof input === 'string') return input;
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const field = builtinToolSpec(toolName)?.inputField;
    if (field !== undefined && typeof input[field] === 'string') return input[field];
    const values = Object.values(input);
    if (values.length === 1 && typeof values[0] === 'string') return values[0];
  }
  return JSON.stringify(input);
}

/** The JSON input for a call whose text was written inline (`<code>...</code>`). */
export function toolInputFromText(toolName: string, text: string): JsonValue {
  const field = builtinToolSpec(toolName)?.inputField;
  return field === undefined ? { input: text } : { [field]: text };
}

// Tool-Star-style models often wrap code in a ```python fence inside <code>: the fence is not code.
const FENCED_CODE = /^\s*```(?:python|py)?[ \t]*\n([\s\S]*?)\n?```\s*$/;

/** The input of a call written between a tool's tags, with a code fence around Python removed. */
export function toolInputFromTagContent(toolName: string, content: string): JsonValue {
  const fenced = toolName === 'python' ? FENCED_CODE.exec(content) : null;
  return toolInputFromText(toolName, fenced ? fenced[1]! : content);
}
