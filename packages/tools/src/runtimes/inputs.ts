import type { JsonValue } from '@autotraj/trajectory';
import { z } from 'zod';

export const pythonInputSchema = z.object({
  code: z.string().describe('Python code to run; print what you need to see.'),
});
export const calculatorInputSchema = z.object({
  expression: z.string().describe('An arithmetic expression, e.g. 48/2*(3+1).'),
});
export const searchInputSchema = z.object({
  query: z.string().describe('What to search for.'),
  topK: z.number().int().min(1).max(50).optional().describe('How many passages to return.'),
});

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
