import { z } from 'zod';

export const pythonErrorSchema = z.object({
  /** Exception class name (`NameError`), or `TimeoutError` / `WorkerCrashed` for limits the pool enforces. */
  type: z.string(),
  message: z.string(),
  traceback: z.string(),
});
export type PythonError = z.infer<typeof pythonErrorSchema>;

export const pythonExecutionResultSchema = z.object({
  stdout: z.string(),
  stderr: z.string(),
  error: pythonErrorSchema.nullable(),
  timedOut: z.boolean(),
  /** Output went over `maxOutputBytes`; the kept part ends with a truncation marker. */
  truncated: z.boolean(),
  durationMs: z.number(),
  /** The session's earlier state was lost (its worker was killed by a limit or crashed). */
  sessionReset: z.boolean().optional(),
});
export type PythonExecutionResult = z.infer<typeof pythonExecutionResultSchema>;

export const pythonRunOptionsSchema = z.object({
  /** Calls with the same session id share one namespace (and worker); omit for a clean namespace. */
  sessionId: z.string().min(1).optional(),
  /** Wall-clock limit; past it the worker is killed and replaced. */
  timeoutMs: z.number().int().positive().optional(),
  /** Address-space limit (RLIMIT_AS) for the worker while the cell runs. */
  memoryMb: z.number().int().positive().optional(),
  /** CPU-time limit (RLIMIT_CPU) for the cell. */
  cpuSeconds: z.number().positive().optional(),
  /** stdout + stderr kept, in bytes; the rest is dropped and a marker appended. */
  maxOutputBytes: z.number().int().positive().optional(),
});
export type PythonRunOptions = z.infer<typeof pythonRunOptionsSchema>;

export interface PythonLimits {
  timeoutMs: number;
  memoryMb: number;
  cpuSeconds: number;
  maxOutputBytes: number;
}

/** Limits applied when a call gives none. */
export const DEFAULT_LIMITS: Readonly<PythonLimits> = {
  timeoutMs: 10_000,
  memoryMb: 2048,
  cpuSeconds: 10,
  maxOutputBytes: 64 * 1024,
};

/** An executor's `defaults`: each limit given, or absent / undefined for `DEFAULT_LIMITS`'. */
export type PythonLimitsInput = { [K in keyof PythonLimits]?: PythonLimits[K] | undefined };

/**
 * `DEFAULT_LIMITS` with the given ones over it. A limit given as undefined keeps its default (a
 * plain spread would set it to undefined: a call without its own timeout would run unbounded).
 */
export function resolvePythonLimits(given: PythonLimitsInput | undefined): PythonLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(limits) as Array<keyof PythonLimits>) {
    const value = given?.[key];
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}

/** What isolation the executor actually has, in plain words (printed at startup). */
export interface IsolationReport {
  mode: string;
  network: 'isolated' | 'shared' | 'remote';
  filesystem: string;
  processes: string;
  environment: string;
  summary: string;
  notes: string[];
}

/** Anything that runs Python cells: the local pool, or a remote sandbox. */
export interface PythonExecutor {
  run(code: string, options?: PythonRunOptions): Promise<PythonExecutionResult>;
  endSession(sessionId: string): Promise<void>;
  close(): Promise<void>;
  isolation(): Promise<IsolationReport>;
}

/** The marker appended when output was cut; `{n}` is the number of bytes dropped. */
export function truncationMarker(droppedBytes: number): string {
  return `\n[... output truncated: ${droppedBytes} bytes omitted ...]\n`;
}
