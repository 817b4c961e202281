import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** packages/rl/python: the bridges users import, and checks/ (the trainer checks). */
export const pythonDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'python');

/**
 * The project's venv interpreter when it has the trainers (./dev exports AUTOTRAJ_TRAINERS=1
 * after `./dev trainers`); trainer checks skip without them, except where
 * AUTOTRAJ_REQUIRE_TRAINERS=1 (CI) makes their absence an error.
 */
export const python =
  process.env.AUTOTRAJ_TRAINERS === '1' ? process.env.AUTOTRAJ_PYTHON : undefined;
if (python === undefined && process.env.AUTOTRAJ_REQUIRE_TRAINERS === '1')
  throw new Error(
    'the trainer packages are required (AUTOTRAJ_REQUIRE_TRAINERS=1) but not installed: run ./dev trainers',
  );

/**
 * Run a check script under packages/rl/python/checks on CPU, offline, and parse the JSON
 * object it prints last. Trainer logs go to stderr, which is kept for the failure message.
 */
export async function runCheck(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 600_000,
): Promise<Record<string, unknown>> {
  if (python === undefined)
    throw new Error('no interpreter with the trainers (run ./dev trainers)');
  try {
    const { stdout } = await run(python, [join(pythonDir, 'checks', script), ...args], {
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        HF_HUB_OFFLINE: '1',
        HF_DATASETS_OFFLINE: '1',
        TRANSFORMERS_OFFLINE: '1',
        CUDA_VISIBLE_DEVICES: '',
        TOKENIZERS_PARALLELISM: 'false',
        OMP_NUM_THREADS: '1',
        WANDB_DISABLED: 'true',
        // Keep __pycache__ out of the source tree.
        PYTHONDONTWRITEBYTECODE: '1',
        ...env,
      },
    });
    const last = stdout.trim().split('\n').at(-1) ?? '';
    return JSON.parse(last) as Record<string, unknown>;
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(
      `${script} failed: ${e.message}\n--- stderr (tail) ---\n${(e.stderr ?? '').slice(-6000)}\n--- stdout (tail) ---\n${(e.stdout ?? '').slice(-2000)}`,
    );
  }
}
