import { entryInputParser } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import { PythonPoolError } from '../errors.js';
import {
  createPythonPool as createUncheckedPool,
  type PythonPool,
  type PythonPoolOptions,
} from '../python/pool.js';
import { pythonLimitsOptions } from './parse.js';

// The pool's options are parsed before any worker starts: a misspelt key (`sizes`,
// `defaults.timeout`) or a wrong type is `PythonPoolError` code `invalid_input` naming it,
// instead of a pool silently running with its defaults. Ranges keep the pool's own checks.

const parse = entryInputParser(
  (problem) =>
    new PythonPoolError({ code: 'invalid_input', message: problem.message, cause: problem.error }),
);

const poolOptionsSchema = z.strictObject({
  size: z.number().optional(),
  python: z.string().min(1).optional(),
  isolation: z.enum(['auto', 'bwrap', 'namespaces', 'network-only', 'none']).optional(),
  defaults: pythonLimitsOptions.optional(),
  sandboxUid: z.number().optional(),
  maxProcesses: z.number().optional(),
  hideDirs: z.array(z.string()).optional(),
  maxFileMb: z.number().optional(),
  recycleAfterCalls: z.number().optional(),
  preload: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  onIsolation: z
    .custom<NonNullable<PythonPoolOptions['onIsolation']>>((v) => typeof v === 'function', {
      message: 'expected a function',
    })
    .optional(),
});

/** A pool of sandboxed Python workers (see python/pool.ts), its options checked first. */
export function createPythonPool(options: PythonPoolOptions = {}): PythonPool {
  return createUncheckedPool(parse(poolOptionsSchema, options, 'createPythonPool', 'options'));
}
