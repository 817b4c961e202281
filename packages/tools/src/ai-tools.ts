import { calculatorToolSpec, pythonToolSpec, searchToolSpec } from '@autotraj/trajectory';
import { type Tool, tool } from 'ai';
import type { z } from 'zod';
import { type CalculateOptions, calculate } from './calculator/calculate.js';
import { ToolExecutionError } from './errors.js';
import type { PythonExecutor, PythonRunOptions } from './python/types.js';
import { formatCalculatorOutput, formatPythonOutput, formatSearchHits } from './runtimes/format.js';
import { calculatorInputSchema, pythonInputSchema, searchInputSchema } from './runtimes/inputs.js';
import type { SearchClient } from './search/types.js';

export interface PythonToolOptions {
  pool: PythonExecutor;
  /** Share one namespace across this tool's calls (one agent run = one trajectory). */
  sessionId?: string;
  limits?: Omit<PythonRunOptions, 'sessionId'>;
  description?: string;
}

/**
 * The Python runtime as an ai SDK tool. Successful calls return the output text; failing cells
 * throw a ToolExecutionError whose message is the output, so the SDK records a `tool-error`
 * and the trajectory's tool-result step gets `isError: true`.
 */
export function pythonTool(
  options: PythonToolOptions,
): Tool<z.infer<typeof pythonInputSchema>, string> {
  return tool({
    description: options.description ?? pythonToolSpec.description,
    inputSchema: pythonInputSchema,
    execute: async ({ code }) => {
      const result = await options.pool.run(code, {
        ...options.limits,
        ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }),
      });
      const output = formatPythonOutput(result);
      if (result.error !== null)
        throw new ToolExecutionError({ tool: 'python', output, timedOut: result.timedOut });
      return output;
    },
  });
}

export function calculatorTool(
  options: CalculateOptions & { description?: string } = {},
): Tool<z.infer<typeof calculatorInputSchema>, string> {
  return tool({
    description: options.description ?? calculatorToolSpec.description,
    inputSchema: calculatorInputSchema,
    execute: async ({ expression }) => {
      const result = calculate(expression, options);
      if (!result.ok)
        throw new ToolExecutionError({
          tool: 'calculator',
          output: formatCalculatorOutput(result),
        });
      return result.text;
    },
  });
}

export function searchTool(options: {
  client: SearchClient;
  topK?: number;
  description?: string;
}): Tool<z.infer<typeof searchInputSchema>, string> {
  return tool({
    description: options.description ?? searchToolSpec.description,
    inputSchema: searchInputSchema,
    execute: async ({ query, topK }, { abortSignal }) =>
      formatSearchHits(
        await options.client.search(query, {
          topK: topK ?? options.topK ?? 5,
          ...(abortSignal ? { signal: abortSignal } : {}),
        }),
      ),
  });
}
