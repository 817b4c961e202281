import type { JsonValue } from '../schemas/json-value.js';

/** The input field that holds the model-written text for the built-in tools. */
const textFieldByTool: Record<string, string> = {
  python: 'code',
  calculator: 'expression',
  search: 'query',
};

/** The text a model writes for a call (code, expression, query), for text formats. */
export function toolInputText(toolName: string, input: JsonValue): string {
  if (typeof input === 'string') return input;
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const field = textFieldByTool[toolName];
    if (field !== undefined && typeof input[field] === 'string') return input[field];
    const values = Object.values(input);
    if (values.length === 1 && typeof values[0] === 'string') return values[0];
  }
  return JSON.stringify(input);
}

/** The JSON input for a call whose text was written inline (`<code>...</code>`). */
export function toolInputFromText(toolName: string, text: string): JsonValue {
  const field = textFieldByTool[toolName];
  return field === undefined ? { input: text } : { [field]: text };
}
