import { entryInputParser } from '@autotraj/trajectory/internal';
import { z } from 'zod';
import { ToolInputError } from '../errors.js';

/** Parses a public function's argument; bad input is `ToolInputError` (code `invalid_input`). */
export const parseToolInput = entryInputParser(
  (problem) =>
    new ToolInputError({ message: problem.message, field: problem.field, cause: problem.error }),
);

/** A call's default limits (`PythonLimits`, each optional), keys strictly. */
export const pythonLimitsOptions = z
  .strictObject({
    timeoutMs: z.number(),
    memoryMb: z.number(),
    cpuSeconds: z.number(),
    maxOutputBytes: z.number(),
  })
  .partial();
