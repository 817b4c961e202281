import type { ToolRunOutput, ToolRuntime } from '@autotraj/trajectory';
import { type CalculateOptions, calculate } from '../calculator/calculate.js';
import type { PythonExecutor, PythonRunOptions } from '../python/types.js';
import type { SearchClient } from '../search/types.js';
import {
  type FormatPythonOptions,
  formatCalculatorOutput,
  formatPythonOutput,
  formatSearchHits,
} from './format.js';
import {
  calculatorInputSchema,
  parseToolInput,
  pythonInputSchema,
  searchInputSchema,
} from './inputs.js';

const invalid = (message: string): ToolRunOutput => ({
  output: message,
  isError: true,
  durationMs: 0,
});

export interface PythonRuntimeOptions extends FormatPythonOptions {
  /** The local pool or a remote sandbox. */
  pool: PythonExecutor;
  /** Limits for every call (session ids come from the run context). */
  limits?: Omit<PythonRunOptions, 'sessionId'>;
}

/** `python` tool runtime: `{ code }` in, stdout (and the error line) out; sessions via the context. */
export function createPythonRuntime(options: PythonRuntimeOptions): ToolRuntime {
  return {
    name: 'python',
    async run(input, context = {}) {
      const parsed = parseToolInput('python', pythonInputSchema, 'code', input);
      if (!parsed.ok) return invalid(parsed.message);
      const result = await options.pool.run(parsed.value.code, {
        ...options.limits,
        ...(context.sessionId === undefined ? {} : { sessionId: context.sessionId }),
      });
      return {
        output: formatPythonOutput(result, options),
        isError: result.error !== null,
        timedOut: result.timedOut,
        durationMs: result.durationMs,
      };
    },
    endSession: (sessionId) => options.pool.endSession(sessionId),
  };
}

/** `calculator` tool runtime: `{ expression }` in, the formatted value out. */
export function createCalculatorRuntime(options: CalculateOptions = {}): ToolRuntime {
  return {
    name: 'calculator',
    async run(input) {
      const started = performance.now();
      const parsed = parseToolInput('calculator', calculatorInputSchema, 'expression', input);
      if (!parsed.ok) return invalid(parsed.message);
      const result = calculate(parsed.value.expression, options);
      return {
        output: formatCalculatorOutput(result),
        isError: !result.ok,
        durationMs: performance.now() - started,
      };
    },
  };
}

export type SearchRuntimeOptions = { topK?: number } & (
  | { index: SearchClient; client?: never }
  | { client: SearchClient; index?: never }
);

/** `search` tool runtime over a local index or a remote retriever: `{ query, topK? }` in, passages out. */
export function createSearchRuntime(options: SearchRuntimeOptions): ToolRuntime {
  const client = options.index ?? options.client;
  return {
    name: 'search',
    async run(input, context = {}) {
      const started = performance.now();
      const parsed = parseToolInput('search', searchInputSchema, 'query', input);
      if (!parsed.ok) return invalid(parsed.message);
      try {
        const hits = await client.search(parsed.value.query, {
          topK: parsed.value.topK ?? options.topK ?? 5,
          ...(context.signal ? { signal: context.signal } : {}),
        });
        return {
          output: formatSearchHits(hits),
          isError: false,
          durationMs: performance.now() - started,
        };
      } catch (error) {
        return {
          output: `SearchError: ${(error as Error).message}`,
          isError: true,
          durationMs: performance.now() - started,
        };
      }
    },
  };
}
