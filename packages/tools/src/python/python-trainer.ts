import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import type { JsonValue } from '@autotraj/trajectory';
import { PythonTrainerError, type PythonTrainerProblem } from '../errors.js';

/** torch threads of a trainer run that sets none (the trainers' and their commands' default). */
export const PYTHON_TRAINER_THREADS = 2;

export interface RunPythonTrainerOptions {
  /** The trainer script; it prints `{"ok": true, ...}` or `{"error": code, "message": ...}` last on stdout. */
  script: string;
  args: ReadonlyArray<string>;
  /** Interpreter with torch, transformers, TRL; default `$AUTOTRAJ_PYTHON`, else `python3`. */
  python?: string;
  /** torch threads; default 2. */
  threads?: number;
  /** Let the trainer see CUDA devices (default false: CPU only, `CUDA_VISIBLE_DEVICES=`). */
  gpu?: boolean;
  /** Each line the trainer logs (stderr). */
  onLog?: (line: string) => void;
  /** What each `error` code the script reports means; others are `trainer-failed`. */
  problems?: Readonly<Record<string, PythonTrainerProblem>>;
}

const commonProblems: Readonly<Record<string, PythonTrainerProblem>> = {
  'missing-python-package': 'python-package-missing',
  'bad-input': 'bad-input',
};

/**
 * Run a trainer script in a Python child offline (no hub, no telemetry), and return
 * the summary object it prints last. A reported error, a crash or a missing interpreter is a
 * `PythonTrainerError` with the tail of the trainer's log.
 */
export async function runPythonTrainer(
  options: RunPythonTrainerOptions,
): Promise<Record<string, JsonValue>> {
  const python = options.python ?? process.env.AUTOTRAJ_PYTHON ?? 'python3';
  const name = basename(options.script);
  const { code, stdout, stderr } = await new Promise<{
    code: number | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    const child = spawn(python, [options.script, ...options.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        HF_HUB_OFFLINE: '1',
        TRANSFORMERS_OFFLINE: '1',
        HF_DATASETS_OFFLINE: '1',
        ...(options.gpu === true ? {} : { CUDA_VISIBLE_DEVICES: '' }),
        TOKENIZERS_PARALLELISM: 'false',
        OMP_NUM_THREADS: String(options.threads ?? PYTHON_TRAINER_THREADS),
        WANDB_DISABLED: 'true',
        PYTHONDONTWRITEBYTECODE: '1',
      },
    });
    let out = '';
    let err = '';
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      const s = chunk.toString();
      err = (err + s).slice(-20_000);
      if (options.onLog !== undefined) {
        const lines = (partial + s).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) options.onLog(line);
      }
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT')
        reject(
          new PythonTrainerError({
            problem: 'python-missing',
            message: `no Python interpreter at ${python}`,
            cause: error,
          }),
        );
      else reject(error);
    });
    child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  let summary: Record<string, JsonValue> | null = null;
  try {
    summary = JSON.parse(last) as Record<string, JsonValue>;
  } catch {
    summary = null;
  }
  if (summary !== null && typeof summary.error === 'string') {
    const problems = { ...commonProblems, ...options.problems };
    throw new PythonTrainerError({
      problem: problems[summary.error] ?? 'trainer-failed',
      message: `${name}: ${String(summary.message)}`,
    });
  }
  if (code !== 0 || summary === null || summary.ok !== true) {
    throw new PythonTrainerError({
      problem: 'trainer-failed',
      message: `${name} exited with ${code}\n--- stderr (tail) ---\n${stderr.slice(-4000)}`,
    });
  }
  return summary;
}
