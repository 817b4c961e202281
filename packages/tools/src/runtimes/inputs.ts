import {
  calculatorToolSpec,
  type JsonValue,
  pythonToolSpec,
  searchToolSpec,
} from '@autotraj/trajectory';
import type { z } from 'zod';

// Input schemas come from the tools' specs in @autotraj/trajectory (one definition of each tool).
export const pythonInputSchema = pythonToolSpec.inputSchema;
export const calculatorInputSchema = calculatorToolSpec.inputSchema;
export const searchInputSchema = searchToolSpec.inputSchema;

/** Validate a tool input; a bare string is taken as the tool's text field (code, expression, query). */
export function parseToolInput<S extends z.ZodObject>(
  tool: string,
  schema: S,
  field: string,
  input: JsonValue,
): { ok: true; value: z.output<S> } | { ok: false; message: string } {
  const parsed = schema.safeParse(typeof input === 'string' ? { [field]: input } : input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    message: `invalid ${tool} input at field ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
  };
}
