import { z } from 'zod';
import { RemoteServiceError } from '../errors.js';
import {
  type PythonExecutionResult,
  type PythonExecutor,
  type PythonLimitsInput,
  resolvePythonLimits,
  truncationMarker,
} from '../python/types.js';
import { postJson } from './http.js';

export interface SandboxFusionOptions {
  /** Base URL of the sandbox, e.g. `http://127.0.0.1:8080`. */
  baseURL: string;
  /** Limits for calls that set none. */
  defaults?: PythonLimitsInput | undefined;
  /** Extra time for the HTTP round trip on top of the run timeout. Default 5 s. */
  httpSlackMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

const runResultSchema = z.looseObject({
  status: z.string(),
  execution_time: z.number().nullish(),
  return_code: z.number().nullish(),
  stdout: z.string().nullish(),
  stderr: z.string().nullish(),
});
const responseSchema = z.looseObject({
  status: z.string(),
  message: z.string().nullish(),
  compile_result: runResultSchema.nullish(),
  run_result: runResultSchema.nullish(),
});

/** `NameError: name 'x' is not defined` from the last line of a Python traceback. */
export function errorFromTraceback(
  stderr: string,
): { type: string; message: string; traceback: string } | null {
  const lines = stderr.trimEnd().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const match =
      /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning)|StopIteration|KeyboardInterrupt)(?::\s?(.*))?$/.exec(
        lines[i]!,
      );
    if (match)
      return { type: match[1]!.split('.').pop()!, message: match[2] ?? '', traceback: stderr };
  }
  return null;
}

function cap(text: string, budget: { left: number; dropped: number }): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= budget.left) {
    budget.left -= bytes.length;
    return text;
  }
  const kept = bytes.subarray(0, Math.max(budget.left, 0)).toString('utf8');
  budget.dropped += bytes.length - Math.max(budget.left, 0);
  budget.left = 0;
  return kept;
}

// Output of replayed cells is discarded; only the new cell's output is returned.
const REPLAY_PRELUDE =
  'import sys as __s, io as __io\n__real_out, __real_err = __s.stdout, __s.stderr\n__s.stdout = __s.stderr = __io.StringIO()\n';
const REPLAY_RESTORE =
  '__s.stdout, __s.stderr = __real_out, __real_err\ndel __s, __io, __real_out, __real_err\n';

/**
 * A SandboxFusion-style remote sandbox behind the local pool's interface:
 * `POST /run_code {code, language: 'python', run_timeout, memory_limit_MB}`. The service is
 * stateless, so sessions are emulated: earlier successful cells of a session are re-run (output
 * discarded) before the new cell. Their side effects repeat; keep sessions short.
 */
export function createSandboxFusionExecutor(options: SandboxFusionOptions): PythonExecutor {
  const url = new URL('/run_code', options.baseURL).toString();
  const defaults = resolvePythonLimits(options.defaults);
  const sessions = new Map<string, string[]>();
  return {
    async run(code, runOptions = {}) {
      const started = performance.now();
      const timeoutMs = runOptions.timeoutMs ?? defaults.timeoutMs;
      const history =
        runOptions.sessionId === undefined ? [] : (sessions.get(runOptions.sessionId) ?? []);
      const program =
        history.length === 0
          ? code
          : `${REPLAY_PRELUDE}${history.map((cell) => `exec(compile(${JSON.stringify(cell)}, '<cell>', 'exec'))\n`).join('')}${REPLAY_RESTORE}${code}`;
      const response = await postJson({
        service: 'SandboxFusion',
        url,
        body: {
          code: program,
          language: 'python',
          run_timeout: timeoutMs / 1000,
          memory_limit_MB: runOptions.memoryMb ?? defaults.memoryMb,
        },
        schema: responseSchema,
        timeoutMs: timeoutMs + (options.httpSlackMs ?? 5000),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      if (response.status === 'SandboxError') {
        throw new RemoteServiceError({
          kind: 'http-status',
          service: 'SandboxFusion',
          url,
          detail: `sandbox error: ${response.message ?? 'unknown'}`,
        });
      }
      const run = response.run_result ?? response.compile_result;
      if (run == null) {
        throw new RemoteServiceError({
          kind: 'malformed-response',
          service: 'SandboxFusion',
          url,
          detail: 'answer has no run_result',
        });
      }
      const timedOut = run.status === 'TimeLimitExceeded';
      const budget = { left: runOptions.maxOutputBytes ?? defaults.maxOutputBytes, dropped: 0 };
      let stdout = cap(run.stdout ?? '', budget);
      const stderr = cap(run.stderr ?? '', budget);
      const truncated = budget.dropped > 0;
      if (truncated) stdout += truncationMarker(budget.dropped);
      let error: PythonExecutionResult['error'] = null;
      if (timedOut)
        error = {
          type: 'TimeoutError',
          message: `execution exceeded the ${timeoutMs} ms time limit`,
          traceback: '',
        };
      else if (run.status !== 'Finished' || (run.return_code ?? 0) !== 0) {
        error = errorFromTraceback(run.stderr ?? '') ?? {
          type: 'ExecutionError',
          message: `${run.status}, exit code ${run.return_code ?? 'unknown'}`,
          traceback: run.stderr ?? '',
        };
      }
      if (runOptions.sessionId !== undefined && error === null)
        sessions.set(runOptions.sessionId, [...history, code]);
      return {
        stdout,
        stderr,
        error,
        timedOut,
        truncated,
        durationMs: performance.now() - started,
      };
    },
    async endSession(sessionId) {
      sessions.delete(sessionId);
    },
    async close() {
      sessions.clear();
    },
    async isolation() {
      return {
        mode: 'sandbox-fusion',
        network: 'remote',
        filesystem: 'whatever the remote sandbox provides',
        processes: 'remote',
        environment: 'remote',
        summary: `python sandbox: remote SandboxFusion at ${options.baseURL}`,
        notes: [
          "isolation is the remote service's; sessions are emulated by replaying earlier cells",
        ],
      };
    },
  };
}
