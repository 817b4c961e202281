import { objectWithMethods } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import {
  calculatorTool as calculatorToolUnchecked,
  type PythonToolOptions,
  pythonTool as pythonToolUnchecked,
  searchTool as searchToolUnchecked,
} from '../ai-tools.js';
import type { CalculateOptions } from '../calculator/calculate.js';
import type { PythonExecutor } from '../python/types.js';
import { pythonRunOptionsSchema } from '../python/types.js';
import {
  createCalculatorRuntime as createCalculatorUnchecked,
  createPythonRuntime as createPythonUnchecked,
  createSearchRuntime as createSearchUnchecked,
  type PythonRuntimeOptions,
  type SearchRuntimeOptions,
} from '../runtimes/runtimes.js';
import type { SearchClient } from '../search/types.js';
import { parseToolInput as parse } from './parse.js';

// The tool runtimes and the ai SDK tools check their options when they are built, before any
// call: a misspelt key (`limit` for `limits`, `topk`) or a pool without `run` is a
// `ToolInputError` naming it, not a runtime that ignores the setting or fails on its first
// call. Each call's tool input is checked by the runtime as before (`pythonInputSchema`, ...).

const pool = objectWithMethods<PythonExecutor>('a Python executor', 'run', 'endSession');
const client = objectWithMethods<SearchClient>('a search client', 'search');
const limits = pythonRunOptionsSchema.omit({ sessionId: true }).strict();
const calculateShape = {
  maxLength: z.number().int().positive().optional(),
  precision: z.number().int().positive().optional(),
  normalize: z.boolean().optional(),
};
const topK = z.number().int().positive().optional();
const description = z.string().optional();

const pythonRuntimeOptions = z.strictObject({
  pool,
  limits: limits.optional(),
  includeStderr: z.boolean().optional(),
});

/** The `python` tool runtime (see runtimes/runtimes.ts), its options checked. */
export function createPythonRuntime(
  options: PythonRuntimeOptions,
): ReturnType<typeof createPythonUnchecked> {
  return createPythonUnchecked(
    parse(pythonRuntimeOptions, options, 'createPythonRuntime', 'options') as PythonRuntimeOptions,
  );
}

/** The `calculator` tool runtime, its options checked. */
export function createCalculatorRuntime(
  options: CalculateOptions = {},
): ReturnType<typeof createCalculatorUnchecked> {
  return createCalculatorUnchecked(
    parse(
      z.strictObject(calculateShape),
      options,
      'createCalculatorRuntime',
      'options',
    ) as CalculateOptions,
  );
}

// Exactly one of index and client, as the type says.
const searchRuntimeOptions = z
  .strictObject({ topK, index: client.optional(), client: client.optional() })
  .superRefine((value, ctx) => {
    if ((value.index === undefined) === (value.client === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['client'],
        message: 'expected exactly one of index and client',
      });
  });

/** The `search` tool runtime over an index or a retriever, its options checked. */
export function createSearchRuntime(
  options: SearchRuntimeOptions,
): ReturnType<typeof createSearchUnchecked> {
  return createSearchUnchecked(
    parse(searchRuntimeOptions, options, 'createSearchRuntime', 'options') as SearchRuntimeOptions,
  );
}

const pythonToolOptions = z.strictObject({
  pool,
  sessionId: z.string().min(1).optional(),
  limits: limits.optional(),
  description,
});

/** The Python runtime as an ai SDK tool (see ai-tools.ts), its options checked. */
export function pythonTool(options: PythonToolOptions): ReturnType<typeof pythonToolUnchecked> {
  return pythonToolUnchecked(
    parse(pythonToolOptions, options, 'pythonTool', 'options') as PythonToolOptions,
  );
}

/** The calculator as an ai SDK tool, its options checked. */
export function calculatorTool(
  options: CalculateOptions & { description?: string } = {},
): ReturnType<typeof calculatorToolUnchecked> {
  return calculatorToolUnchecked(
    parse(
      z.strictObject({ ...calculateShape, description }),
      options,
      'calculatorTool',
      'options',
    ) as typeof options,
  );
}

/** Search as an ai SDK tool, its options checked. */
export function searchTool(options: {
  client: SearchClient;
  topK?: number;
  description?: string;
}): ReturnType<typeof searchToolUnchecked> {
  return searchToolUnchecked(
    parse(
      z.strictObject({ client, topK, description }),
      options,
      'searchTool',
      'options',
    ) as typeof options,
  );
}
